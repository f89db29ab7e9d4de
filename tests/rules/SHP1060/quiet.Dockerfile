FROM debian:12
RUN apt-get install -y openssh-client=1:9.2p1-2
