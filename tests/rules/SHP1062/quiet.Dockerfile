FROM debian:12
RUN apt-get install -y sudo=1.9.13p3-1
