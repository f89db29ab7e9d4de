#!/usr/bin/env python3
"""token-server.py - a registry token server for the tests (distribution's token auth).

Checks HTTP Basic credentials (or an identity token, the OAuth2 refresh-token flow) and grants
every scope asked for, as a JWT signed RS256 with the key whose certificate the registry trusts
(auth.token.rootcertbundle). The registry finds the key by the token's `kid`, which must be the
libtrust key ID of the certificate's public key. Python's standard library has no RSA, so
openssl signs. Listens on a port of 127.0.0.1 chosen by the kernel and writes it to --port-file.

  token-server.py --key KEY.pem --users USERS --port-file FILE [--issuer I] [--service S]
USERS has one `user:password` a line; `refresh:TOKEN:user` lines add identity tokens.
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_kid(key_path):
    """The libtrust key ID: base32 of the first 240 bits of SHA-256 of the DER public key,
    in 12 groups of 4 separated by ':'."""
    der = subprocess.run(["openssl", "pkey", "-in", key_path, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    b32 = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode()
    return ":".join(b32[i:i + 4] for i in range(0, 48, 4))


class Server(ThreadingHTTPServer):
    daemon_threads = True


def make_handler(opts, kid, users, refresh):
    lock = threading.Lock()
    log = open(opts.log, "a") if opts.log else None

    def sign(sub, scopes):
        now = int(time.time())
        access = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) < 3:
                continue
            # repository:NAME:ACTIONS, the name may hold ':' only with a port, never here
            access.append({"type": parts[0], "name": ":".join(parts[1:-1]),
                           "actions": parts[-1].split(",")})
        header = {"typ": "JWT", "alg": "RS256", "kid": kid}
        claims = {"iss": opts.issuer, "sub": sub, "aud": opts.service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": b64url(hashlib.sha256(
                      f"{sub}{now}{time.monotonic_ns()}".encode()).digest()[:12]),
                  "access": access}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode()))
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", opts.key],
                             input=signing_input.encode(), check=True,
                             capture_output=True).stdout
        return signing_input + "." + b64url(sig)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def note(self, what):
            if log:
                with lock:
                    log.write(what + "\n")
                    log.flush()

        def answer(self, code, obj, extra=None):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def basic_user(self):
            h = self.headers.get("Authorization", "")
            if not h.startswith("Basic "):
                return None
            try:
                user, _, password = base64.b64decode(h[6:]).decode().partition(":")
            except ValueError:
                return None
            return user if users.get(user) == password else False

        def grant(self, user, scopes, how, offline):
            self.note(f"grant {how} {user} {' '.join(scopes)}")
            token = sign(user, scopes)
            obj = {"token": token, "access_token": token, "expires_in": 300,
                   "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            if offline:
                obj["refresh_token"] = next((t for t, u in refresh.items() if u == user), "")
            self.answer(200, obj)

        def read_body(self, limit=65536):
            """The request body, whole or chunked (Go's clients send forms chunked)."""
            if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                return self.rfile.read(min(int(self.headers.get("Content-Length", "0")), limit))
            body = b""
            while len(body) <= limit:
                size = int(self.rfile.readline(64).split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                body += self.rfile.read(size)
                self.rfile.readline(8)
            return body[:limit]

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(url.query)
            if url.path != "/token":
                return self.answer(404, {"error": "not found"})
            user = self.basic_user()
            if not user:
                self.note(f"deny basic {'none' if user is None else 'bad'}")
                return self.answer(401, {"errors": [{"code": "UNAUTHORIZED",
                                                     "message": "credentials required"}]},
                                   {"WWW-Authenticate": 'Basic realm="token"'})
            self.grant(user, q.get("scope", []), "basic",
                       q.get("offline_token", [""])[0] == "true")

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            form = urllib.parse.parse_qs(self.read_body().decode())
            if url.path != "/token":
                return self.answer(404, {"error": "not found"})
            kind = form.get("grant_type", [""])[0]
            scopes = " ".join(form.get("scope", [])).split()
            if kind == "refresh_token":
                user = refresh.get(form.get("refresh_token", [""])[0])
            elif kind == "password":
                user = form.get("username", [""])[0]
                if users.get(user) != form.get("password", [None])[0]:
                    user = None
            else:
                user = None
            if not user:
                self.note(f"deny {kind or 'none'}")
                return self.answer(401, {"error": "invalid_grant"})
            self.grant(user, scopes, kind, kind == "password")

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", required=True)
    ap.add_argument("--users", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--issuer", default="shipshape-test-issuer")
    ap.add_argument("--service", default="shipshape-test-registry")
    ap.add_argument("--log")
    opts = ap.parse_args()
    users, refresh = {}, {}
    for line in open(opts.users):
        line = line.rstrip("\n")
        if line.startswith("refresh:"):
            _, token, user = line.split(":", 2)
            refresh[token] = user
        elif ":" in line:
            user, password = line.split(":", 1)
            users[user] = password
    srv = Server(("127.0.0.1", 0), make_handler(opts, libtrust_kid(opts.key), users, refresh))
    with open(opts.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    # renamed whole, so a reader never sees half a number
    os.rename(opts.port_file + ".tmp", opts.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
