FROM debian:12
ONBUILD FROM alpine:3.20
