FROM alpine:3.20
RUN apk add --no-cache curl=8.9.0-r0
RUN apk add --simulate curl && apk add -s jq
