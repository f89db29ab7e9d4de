FROM debian:12
COPY a b /dest/
