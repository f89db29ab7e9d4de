FROM debian:12
COPY app.py /app/
ADD rootfs.tar.xz /
