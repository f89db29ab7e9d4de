FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*
FROM alpine:3.20
RUN apk update && apk add --no-cache curl=8.9.0-r0
FROM fedora:40
RUN dnf makecache && dnf install -y httpd-2.4.62 && dnf clean all
RUN apt-get update && xargs -rt apt-get install -y < deps.txt && rm -rf /var/lib/apt/lists/*
