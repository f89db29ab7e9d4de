FROM debian:12 AS base
USER 10001
FROM base
RUN true
