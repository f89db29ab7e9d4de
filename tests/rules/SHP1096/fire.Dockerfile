FROM debian:12
MAINTAINER Jane <jane@example.com>
