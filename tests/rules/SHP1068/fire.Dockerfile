FROM debian:12
RUN chmod 777 /app
RUN d="$(mktemp -d)" && chmod 777 "$d" /srv && rm -rf "$d"
