FROM debian:12
RUN wget -q https://example.com/a.tgz
