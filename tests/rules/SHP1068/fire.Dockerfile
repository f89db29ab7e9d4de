FROM debian:12
RUN chmod 777 /app
