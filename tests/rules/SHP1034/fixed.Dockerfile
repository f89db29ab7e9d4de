FROM debian:12
RUN apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*
