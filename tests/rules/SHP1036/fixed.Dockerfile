FROM alpine:3.20
RUN apk add --no-cache curl=8.9.0-r0
RUN echo curl | xargs -r apk add --no-cache
