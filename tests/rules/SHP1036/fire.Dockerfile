FROM alpine:3.20
RUN apk add curl=8.9.0-r0
RUN echo curl | xargs -r apk add
