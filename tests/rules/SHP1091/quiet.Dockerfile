FROM debian:12
WORKDIR /srv
COPY app.py app.py
