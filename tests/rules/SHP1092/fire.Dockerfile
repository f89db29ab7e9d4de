FROM debian:12
LABEL com.docker.foo=bar
