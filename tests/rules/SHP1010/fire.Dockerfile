FROM debian:12 AS app
COPY --from=app /a /b
