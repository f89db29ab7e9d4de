FROM debian:12
ENV AWS_REGION=eu-west-1 DB_PASSWORD_FILE=/run/secrets/db
