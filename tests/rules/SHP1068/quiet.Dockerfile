FROM debian:12
RUN chmod 1777 /tmp && chmod 755 /app
RUN d="$(mktemp -d)" && chmod 777 "$d" && echo hi > "$d/x" && if [ -n "$d" ]; then rm -rf "$d"; fi
