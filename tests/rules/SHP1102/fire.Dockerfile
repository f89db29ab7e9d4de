FROM debian:12
RUN curl -u admin:s3cretpass https://repo.example.com/pkg.tgz -o /tmp/p.tgz
RUN useradd -m app && echo "app:Summer2024pw" | chpasswd
