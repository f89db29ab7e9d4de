#!/usr/bin/env python3
"""fault-proxy.py - an HTTP proxy for the registry tests that misbehaves on purpose.

Forwards every request to --backend (a registry on 127.0.0.1) and logs it to --log as
"METHOD PATH STATUS", so tests can count what a client fetched. Requests whose path matches
--match (default: blobs) meet the faults asked for:

  --status CODE:N    the first N requests of each method and path are answered CODE (429 and 503 carry
                     Retry-After: 1), then they pass
  --drop K           the first GET of each path without Range stops after K bytes of the body
                     (the connection is closed); a later request, Range or not, is served whole
  --flip             one byte in the middle of every body is changed
  --redirect         GETs are answered 307 to the same path on a second listener (its port is
                     the second number in --port-file), which logs to --redirect-log
                     "METHOD PATH auth=yes|no" and serves the backend's answer, fetched with
                     --backend-auth USER:PASSWORD when given: a CDN with signed URLs
  --drip SECONDS     GETs send their headers and one byte, then nothing for SECONDS (or until
                     the client goes away): a stalled download
  --blob-size DELTA  bodies grow by DELTA bytes (zeros) or shrink by -DELTA, Content-Length
                     telling the truth about the new size

and manifests (paths with /manifests/), whatever --match says:

  --manifest-garbage     answered with a body that is not JSON
  --manifest-huge BYTES  answered with a valid manifest padded with spaces to BYTES
  --index-self           answered with an image index whose one entry is an index again, by
                         tag or by digest alike, so following it never ends

Crafted manifests carry the Docker-Content-Digest of their body. Both listeners take a free port
of 127.0.0.1 from the kernel and write "PROXY REDIRECT" to --port-file.
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import select
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
       "proxy-authorization", "proxy-authenticate", "host", "content-length"}
INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"


class Server(ThreadingHTTPServer):
    daemon_threads = True


def fetch(opts, method, path, headers, auth=None):
    """The backend's answer to a request: (status, [(header, value)], body)."""
    conn = http.client.HTTPConnection(opts.backend, timeout=60)
    # header by header: clients send Accept several times, and a dict would keep one
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in headers.items():
        if k.lower() not in HOP and not (auth and k.lower() == "authorization"):
            conn.putheader(k, v)
    if auth:
        conn.putheader("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, [(k, v) for k, v in r.getheaders() if k.lower() not in HOP], body


def crafted_manifest(opts):
    """The body --manifest-* answer with, and its media type."""
    if opts.manifest_garbage:
        return b"this is not a manifest {\"schemaVersion\": 2,", MANIFEST
    if opts.index_self:
        # an index naming another index; whichever digest is asked for, the same comes back
        entry = {"mediaType": INDEX, "digest": "sha256:" + hashlib.sha256(b"self").hexdigest(),
                 "size": 512, "platform": {"architecture": "amd64", "os": "linux"}}
        return json.dumps({"schemaVersion": 2, "mediaType": INDEX,
                           "manifests": [entry]}).encode(), INDEX
    m = {"schemaVersion": 2, "mediaType": MANIFEST,
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": "sha256:" + "0" * 64, "size": 2},
         "layers": []}
    body = json.dumps(m).encode()
    return body[:-1] + b" " * max(0, opts.manifest_huge - len(body)) + b"}", MANIFEST


def make_handlers(opts):
    lock = threading.Lock()
    seen = {}  # path -> requests so far, for --status and --drop
    log = open(opts.log, "a") if opts.log else None
    rlog = open(opts.redirect_log, "a") if opts.redirect_log else None
    match = re.compile(opts.match)
    status_code, status_n = (int(x) for x in opts.status.split(":")) if opts.status else (0, 0)
    crafted = opts.manifest_garbage or opts.index_self or opts.manifest_huge

    def note(f, line):
        if f:
            with lock:
                f.write(line + "\n")
                f.flush()

    class Base(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def reply(self, code, headers, body, send_body=True, log=True):
            if log:
                note(self.log_file, f"{self.command} {self.path} {code}")
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            if send_body and body:
                self.wfile.write(body)

    class Redirected(Base):
        log_file = None

        def do_GET(self):
            auth = "yes" if "Authorization" in self.headers else "no"
            note(rlog, f"{self.command} {self.path} auth={auth}")
            code, headers, body = fetch(opts, self.command, self.path, self.headers,
                                        opts.backend_auth)
            self.reply(code, headers, body, self.command != "HEAD", log=False)

        do_HEAD = do_GET

    class Proxy(Base):
        log_file = log

        def count(self):
            """How many times this method asked for this path, this one included."""
            key = (self.command, self.path)
            with lock:
                seen[key] = seen.get(key, 0) + 1
                return seen[key]

        def do_GET(self):
            head = self.command == "HEAD"
            if crafted and "/manifests/" in self.path:
                body, mt = crafted_manifest(opts)
                digest = "sha256:" + hashlib.sha256(body).hexdigest()
                return self.reply(200, [("Content-Type", mt), ("Docker-Content-Digest", digest)],
                                  body, not head)
            if not match.search(self.path):
                code, headers, body = fetch(opts, self.command, self.path, self.headers)
                return self.reply(code, headers, body, not head)
            n = self.count()
            if n <= status_n:
                extra = [("Retry-After", "1")] if status_code in (429, 503) else []
                return self.reply(status_code, extra + [("Content-Type", "application/json")],
                                  b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
                                  not head)
            if opts.redirect and not head:
                note(log, f"{self.command} {self.path} 307")
                self.send_response(307)
                self.send_header("Location", f"http://127.0.0.1:{opts.redirect_port}{self.path}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            code, headers, body = fetch(opts, self.command, self.path, self.headers)
            if head or code not in (200, 206):
                return self.reply(code, headers, body, not head)
            if opts.flip and body:
                i = len(body) // 2
                body = body[:i] + bytes([body[i] ^ 0x5A]) + body[i + 1:]
            if opts.blob_size:
                body = body + b"\0" * opts.blob_size if opts.blob_size > 0 \
                    else body[:max(0, len(body) + opts.blob_size)]
            if opts.drop is not None and n == 1 and "Range" not in self.headers:
                return self.cut(code, headers, body, opts.drop, 0)
            if opts.drip:
                return self.cut(code, headers, body, 1, opts.drip)
            self.reply(code, headers, body)

        def cut(self, code, headers, body, k, wait):
            """Promises the whole body, sends k bytes, waits (while the client stays), closes."""
            note(log, f"{self.command} {self.path} {code} cut-at-{k}")
            self.send_response(code)
            for name, v in headers:
                self.send_header(name, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:k])
            self.wfile.flush()
            end = time.monotonic() + wait
            while time.monotonic() < end:
                r, _, _ = select.select([self.connection], [], [], 0.5)
                if r and not self.connection.recv(1, 0x40):  # MSG_DONTWAIT: gone
                    break
            self.close_connection = True

        do_HEAD = do_GET

    return Proxy, Redirected


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", required=True)
    ap.add_argument("--backend-auth")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--redirect-log")
    ap.add_argument("--match", default=r"^/v2/.+/blobs/sha256:")
    ap.add_argument("--status")
    ap.add_argument("--drop", type=int)
    ap.add_argument("--flip", action="store_true")
    ap.add_argument("--redirect", action="store_true")
    ap.add_argument("--drip", type=float)
    ap.add_argument("--blob-size", type=int, default=0)
    ap.add_argument("--manifest-garbage", action="store_true")
    ap.add_argument("--manifest-huge", type=int, default=0)
    ap.add_argument("--index-self", action="store_true")
    opts = ap.parse_args()
    proxy_h, redirect_h = make_handlers(opts)
    redirect = Server(("127.0.0.1", 0), redirect_h)
    opts.redirect_port = redirect.server_address[1]
    proxy = Server(("127.0.0.1", 0), proxy_h)
    threading.Thread(target=redirect.serve_forever, daemon=True).start()
    with open(opts.port_file + ".tmp", "w") as f:
        f.write(f"{proxy.server_address[1]} {opts.redirect_port}\n")
    os.rename(opts.port_file + ".tmp", opts.port_file)  # whole, never half a line
    proxy.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
