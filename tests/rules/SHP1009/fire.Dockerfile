FROM debian:12
COPY --from=builder /app /app
