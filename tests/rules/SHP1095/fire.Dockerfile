FROM debian:12 AS build
FROM scratch
COPY --from=build / /
