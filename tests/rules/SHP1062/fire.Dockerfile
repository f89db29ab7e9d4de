FROM debian:12
RUN sudo make install
