"""A stand-in for gunicorn: answers on a unix socket with the request's headers as JSON."""
import json
import os
import socketserver
from http.server import BaseHTTPRequestHandler

SOCKET = "/run/django/gunicorn.sock"


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        # /framed: a view that sets its own X-Frame-Options (as Django's clickjacking middleware or
        # a view allowing same-origin framing does).
        if self.path.startswith("/framed"):
            self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.end_headers()
        self.wfile.write(body)

    def address_string(self):
        return "unix"


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if os.path.exists(SOCKET):
    os.unlink(SOCKET)
server = Server(SOCKET, Echo)
os.chmod(SOCKET, 0o666)
server.serve_forever()
