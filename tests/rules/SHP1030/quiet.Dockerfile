FROM debian:12
RUN apt-get install -y curl=7.88.1-10
RUN apt-get install -s curl
