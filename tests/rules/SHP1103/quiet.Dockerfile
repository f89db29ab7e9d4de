FROM debian:12
COPY .env.example /app/
