FROM debian:12
LABEL maintainer="Jane <jane@example.com>"
