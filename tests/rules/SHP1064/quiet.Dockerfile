FROM debian:12
RUN curl -fsSO https://example.com/a
RUN curl -fsSO https://example.com/b
