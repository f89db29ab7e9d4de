FROM debian:12
CMD ["b"]
