# syntax=docker/dockerfile:1
FROM debian:12 AS build
MAINTAINER "Jane Doe" <jane@example.com>
# the apt lists stay: a later RUN installs without updating
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
# a quoted word is left alone: the text there is not plain enough to edit
RUN apt-get "install" jq && rm -rf /var/lib/apt/lists/*

FROM debian:12
# laid out one argument a line: the cleanup goes on a line of its own
RUN apt update \
	&& apt install -y --no-install-recommends \
		git \
		wget
# a comment ends the script: nothing is added after it
RUN apt-get update && apt-get install -y --no-install-recommends make # build tools
# a heredoc script is not edited
RUN <<EOF
apk add curl
EOF
# hadolint ignore=DL3047
RUN wget https://example.com/a.tgz && wget https://example.com/b.tgz
ADD --chown=app:app app.py config.yaml /app
ADD https://example.com/c.tgz /opt/
ADD local.tar.gz /opt/
ONBUILD RUN pip install --user -r requirements.txt
ONBUILD ADD site.conf /etc/
RUN yum install httpd-2.4.6 \
 && microdnf install nginx-1.24.0 && useradd -u 1000001 -m app
CMD nginx -g "daemon off;"
ENTRYPOINT exec "$0" "$@"
