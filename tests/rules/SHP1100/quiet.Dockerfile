FROM debian:12
ARG NPM_TOKEN_FILE=/run/secrets/npm
