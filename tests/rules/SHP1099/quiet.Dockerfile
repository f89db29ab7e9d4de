FROM alpine:3.20
WORKDIR /app
WORKDIR /devices
WORKDIR /srv/proc
