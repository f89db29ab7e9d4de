FROM debian:12
ONBUILD COPY . /app/
