FROM debian:12
ENV APP=/app DATA=$APP/data
