#!/usr/bin/env python3
"""fake-engine.py - a Docker-compatible engine API on a unix socket, for the tests of
docker-daemon: that need an engine to misbehave (podman's own service is the well-behaved
one). It answers GET /_ping with an Api-Version and GET /vX/images/NAME/get with the
docker-save tar ARCHIVE, in one of these ways:

  ok       the whole archive (chunked, as Docker and Podman send it)
  cut      half the archive, then the connection is closed (Content-Length says all)
  stall    half the archive, then nothing until it is killed
  garbage  bytes that are not HTTP, to every request
  error    a 500 with a JSON message for the image
  missing  a 404 with a JSON message, as for an image the engine does not have
  notar    a 200 whose body is not a tar

  fake-engine.py SOCKET MODE [ARCHIVE]

It writes SOCKET.pid with its PID once it listens; the caller stops it by that PID.
Requests are logged to SOCKET.log, one line each. A SOCKET of tcp:PREFIX listens on a
free 127.0.0.1 port instead, written to PREFIX.port (and PREFIX.pid, PREFIX.log); with
FAKE_ENGINE_TLS=DIR it speaks TLS with DIR/server-cert.pem and DIR/server-key.pem and
wants a client certificate signed by DIR/ca.pem, as docker's daemon with --tlsverify."""
import os
import socketserver
import ssl
import sys
import time

sock, mode = sys.argv[1], sys.argv[2]
archive = sys.argv[3] if len(sys.argv) > 3 else None


class Handler(socketserver.StreamRequestHandler):
    def send(self, status, headers, body=b""):
        head = "HTTP/1.1 %s\r\n" % status
        for k, v in headers:
            head += "%s: %s\r\n" % (k, v)
        self.wfile.write(head.encode() + b"\r\n" + body)
        self.wfile.flush()

    def handle(self):
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should on a broken stream

    def answer(self):
        line = self.rfile.readline().decode("latin-1").strip()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        with open(sock + ".log", "a") as log:
            log.write(line + "\n")
        if mode == "garbage":
            self.wfile.write(b"\x00\x01 this is no HTTP at all \xff\xfe\r\n\r\n")
            return
        parts = line.split(" ")
        path = parts[1] if len(parts) > 1 else ""
        if path.endswith("/_ping"):
            self.send("200 OK", [("Api-Version", "1.43"), ("Content-Length", "2")], b"OK")
            return
        if not path.endswith("/get"):
            self.send("404 Not Found", [("Content-Length", "0")])
            return
        if mode == "missing":
            body = b'{"message":"failed to find image: image not known"}'
            self.send("404 Not Found",
                      [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body)
            return
        if mode == "error":
            body = b'{"message":"the storage is on fire"}'
            self.send("500 Internal Server Error",
                      [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body)
            return
        data = open(archive, "rb").read() if archive else b""
        if mode == "notar":
            data = b"this is not a tar archive\n" * 4096
        if mode in ("ok", "notar"):
            self.send("200 OK", [("Content-Type", "application/x-tar"), ("Transfer-Encoding", "chunked")])
            for i in range(0, len(data), 65536):
                chunk = data[i:i + 65536]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send("200 OK", [("Content-Type", "application/x-tar"), ("Content-Length", str(len(data)))],
                  data[: len(data) // 2])
        if mode == "stall":
            while True:
                time.sleep(60)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


if sock.startswith("tcp:"):
    sock = sock[4:]
    srv = TCPServer(("127.0.0.1", 0), Handler)
    tls = os.environ.get("FAKE_ENGINE_TLS")
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls + "/server-cert.pem", tls + "/server-key.pem")
        ctx.load_verify_locations(tls + "/ca.pem")
        ctx.verify_mode = ssl.CERT_REQUIRED
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(sock + ".port", "w") as f:
        f.write("%d\n" % srv.server_address[1])
else:
    if os.path.exists(sock):
        os.unlink(sock)
    srv = Server(sock, Handler)
with open(sock + ".pid", "w") as f:
    f.write("%d\n" % os.getpid())
srv.serve_forever()
