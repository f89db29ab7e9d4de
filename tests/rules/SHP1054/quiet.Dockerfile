FROM debian:12
RUN apt-get update && apt-get upgrade -y && apt-get -s dist-upgrade && rm -rf /var/lib/apt/lists/*
