LABEL a=b
FROM debian:12
