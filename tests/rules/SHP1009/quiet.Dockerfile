FROM debian:12 AS builder
FROM debian:12
COPY --from=builder /app /app
