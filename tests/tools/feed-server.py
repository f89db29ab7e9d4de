#!/usr/bin/env python3
"""feed-server.py - a static HTTP server of a mirror tree (HOST/PATH under --root) for the
db update tests, with conditional requests and faults chosen per path.

GET /HOST/PATH serves ROOT/HOST/PATH (percent-decoded, as a static web server maps it) with
an ETag (the sha256 of the file) and Last-Modified (its mtime); If-None-Match or
If-Modified-Since that still hold get 304. A request for an absolute http:// URL (the server as
the client's proxy) is served from ROOT/HOST/PATH the same way. Every request is logged to --log as
"METHOD PATH STATUS", so tests can count what a client asked.

Faults are read from --faults (a file read again at every request, so a test can change them
while the server runs), one "PATH MODE" a line, PATH as requested (fnmatch patterns allowed):

  429:N      the first N requests of the path get 429 with Retry-After: 1, then it is served
  500        every request gets 500 (Retry-After: 0, so clients retry at once); 500:N the first N
  truncate   Content-Length says the whole file, half of it is sent, then the connection closes
  html       200 with an HTML error page (Content-Type: text/html), as a captive portal sends
  html-body  the same page sent as application/json
  drip       the headers and one byte, then nothing for 60 s (or until the client goes away)
  slow:S     served whole after S seconds (an update that takes a while)

The server takes a free port of 127.0.0.1 from the kernel and writes it to --port-file.
"""
import argparse
import email.utils
import fnmatch
import hashlib
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>upstream down</body></html>\n"


class Server(ThreadingHTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--faults", default="")
    opts = ap.parse_args()
    lock = threading.Lock()
    counts = {}
    root = os.path.realpath(opts.root)

    def faults_for(path):
        try:
            with open(opts.faults) as f:
                lines = f.read().splitlines()
        except OSError:
            return None
        for line in lines:
            parts = line.split()
            if len(parts) == 2 and fnmatch.fnmatchcase(path, parts[0]):
                return parts[1]
        return None

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def log(self, status):
            with lock:
                with open(opts.log, "a") as f:
                    f.write("%s %s %d\n" % (self.command, self.path, status))

        def simple(self, status, body=b"", ctype="text/plain", extra=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.log(status)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            path = "/" + u.netloc + u.path if u.scheme == "http" else u.path
            with lock:
                n = counts[path] = counts.get(path, 0) + 1
            mode = faults_for(path)
            if mode:
                kind, _, arg = mode.partition(":")
                limit = int(arg) if arg.isdigit() else None
                if kind == "429" and n <= (limit or 1):
                    return self.simple(429, b"slow down\n", extra=[("Retry-After", "1")])
                if kind == "500" and (limit is None or n <= limit):
                    return self.simple(500, b"oops\n", extra=[("Retry-After", "0")])
                if kind == "html":
                    return self.simple(200, HTML, "text/html; charset=utf-8")
                if kind == "html-body":
                    return self.simple(200, HTML, "application/json")
                if kind == "slow":
                    time.sleep(float(arg or 1))
            rel = urllib.parse.unquote(path).lstrip("/")
            file = os.path.realpath(os.path.join(root, rel))
            if not file.startswith(root + os.sep) or not os.path.isfile(file):
                return self.simple(404, b"not found\n")
            with open(file, "rb") as f:
                data = f.read()
            etag = '"%s"' % hashlib.sha256(data).hexdigest()
            mtime = int(os.stat(file).st_mtime)
            lm = email.utils.formatdate(mtime, usegmt=True)
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = inm == etag
            elif ims is not None:
                try:
                    fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= mtime
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", lm)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return self.log(304)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", lm)
            self.end_headers()
            self.log(200)
            if self.command == "HEAD":
                return
            if mode == "truncate":
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            if mode == "drip":
                self.wfile.write(data[:1])
                self.wfile.flush()
                for _ in range(60):
                    time.sleep(1)
                    try:
                        self.wfile.write(b"")
                        self.wfile.flush()
                    except OSError:
                        break
                self.close_connection = True
                return
            self.wfile.write(data)

    srv = Server(("127.0.0.1", 0), Handler)
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, opts.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
