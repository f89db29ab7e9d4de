FROM debian:12
ENV APP=/app
ENV DATA=$APP/data
