FROM debian:12
RUN --mount=type=secret,id=repo curl --netrc-file /run/secrets/repo https://repo.example.com/pkg.tgz -o /tmp/p.tgz
RUN --mount=type=secret,id=pw useradd -m app && echo "app:$(cat /run/secrets/pw)" | chpasswd
