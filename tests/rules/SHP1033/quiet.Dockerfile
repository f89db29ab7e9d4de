FROM debian:12
RUN apt-get install -y --no-install-recommends curl
RUN if apt-get install --simulate curl-extra >/dev/null; then apt-get install -y --no-install-recommends curl-extra; fi
