FROM alpine:3.20
RUN apk add --no-cache curl=8.9.0-r0
RUN apk add --simulate curl && apk add -s jq
RUN apk add --no-cache --virtual .b gcc=13.2.1-r0 && apk add --no-network --virtual .run so:libc.musl-x86_64.so.1 && apk del .b
