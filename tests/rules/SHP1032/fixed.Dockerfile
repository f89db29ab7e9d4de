FROM debian:12
RUN apt-get install -y --no-install-recommends curl
RUN apt-get -oDpkg::Options::=--force-confnew install -y --no-install-recommends curl && apt-get -o APT::Get::Assume-Yes=false install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
