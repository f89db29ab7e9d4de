FROM debian:12
RUN chmod 1777 /tmp && chmod 755 /app
