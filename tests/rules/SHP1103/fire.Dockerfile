FROM debian:12
COPY .env /app/.env
