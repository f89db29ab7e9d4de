FROM debian:12
RUN curl -fsS https://example.com/a.tgz | tar -xz
