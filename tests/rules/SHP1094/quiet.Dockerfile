FROM debian:12
RUN make && make install
