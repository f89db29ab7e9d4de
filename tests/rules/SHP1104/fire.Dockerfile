FROM debian:12
ARG GITHUB_TOKEN
RUN git clone https://$GITHUB_TOKEN@github.com/acme/app.git
