FROM debian:12
COPY app.tar.gz /opt/
RUN tar -xzf /opt/app.tar.gz -C /opt
