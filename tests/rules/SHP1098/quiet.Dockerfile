FROM debian:12
ENTRYPOINT ["b"]
