FROM debian:12
CMD ["app"]
