FROM alpine:3.20
ARG D=/proc
WORKDIR ${D}/self
WORKDIR //sys
