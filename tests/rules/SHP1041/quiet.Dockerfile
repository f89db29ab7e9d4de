FROM fedora:40
RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd-2.4.62
