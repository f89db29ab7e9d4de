FROM debian:12
RUN make
RUN make install
