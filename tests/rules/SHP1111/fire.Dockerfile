FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends --allow-unauthenticated curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*
FROM alpine:3.19
RUN apk add --no-cache --allow-untrusted /tmp/tool.apk
FROM rockylinux:9
RUN dnf install -y --nogpgcheck httpd-2.4.57 && dnf clean all
