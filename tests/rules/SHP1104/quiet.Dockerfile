FROM debian:12
RUN --mount=type=secret,id=gh git clone https://github.com/acme/app.git
