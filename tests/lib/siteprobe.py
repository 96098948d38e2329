"""The demo app's proofs over HTTP, shared by the e2e test, molecule verifiers, make demo and the
bench: /healthz with the database, and a row written through the page (CSRF token, Origin
header as a browser sends it) and read back.

Each raises AssertionError with what it saw, so a caller cannot mistake nothing for a pass.
"""
import contextlib
import os
import re
import socket
import threading
import time

import requests

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def health(url, timeout=10):
    """GET <url>/healthz: 200 with the database reachable; returns the response."""
    response = requests.get(f"{url}/healthz", timeout=timeout)
    assert response.status_code == 200, f"{url}/healthz -> {response.status_code}: {response.text[:300]}"
    assert response.json() == {"status": "ok", "database": "ok"}, response.text[:300]
    return response


def write_row(url, text, timeout=10):
    """POST a note through the page as a browser would (the form's CSRF token, an Origin header);
    the app answers with a redirect (302). Returns the POST's response."""
    session = requests.Session()
    page = session.get(f"{url}/", timeout=timeout)
    assert page.status_code == 200, f"GET {url}/ -> {page.status_code}"
    token = TOKEN.search(page.text)
    assert token, f"no CSRF token in the page of {url}/"
    post = session.post(f"{url}/", data={"text": text, "csrfmiddlewaretoken": token.group(1)},
                        headers={"Origin": url}, allow_redirects=False, timeout=timeout)
    assert post.status_code == 302, f"POST {url}/ -> {post.status_code}: {post.text[:300]}"
    return post


def row_is_listed(url, text, timeout=10):
    """True when the page lists the note `text`."""
    return text in requests.get(f"{url}/", timeout=timeout).text


def row_round_trip(url, label="row", timeout=10):
    """Write a new row and read it back; returns its text."""
    text = f"{label} {time.time()}"
    write_row(url, text, timeout)
    assert row_is_listed(url, text, timeout), f"the row {text!r} was written but is not listed at {url}/"
    return text


@contextlib.contextmanager
def served_as(name, ca_file, address="127.0.0.1"):
    """Within the block, `name` resolves to `address` in this process (curl's --resolve) and
    requests verifies HTTPS against `ca_file` only: https://<name>:<port>/ then reaches a site
    published on 127.0.0.1 by its own name (the TLS server name and the Host header both), as
    a browser would reach it through DNS."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        return real(address if host == name else host, *args, **kwargs)
    saved = os.environ.get("REQUESTS_CA_BUNDLE")
    socket.getaddrinfo, os.environ["REQUESTS_CA_BUNDLE"] = resolve, str(ca_file)
    try:
        yield
    finally:
        socket.getaddrinfo = real
        if saved is None:
            del os.environ["REQUESTS_CA_BUNDLE"]
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = saved


class Load(threading.Thread):
    """GET `url` in a loop on new connections, for at most `seconds` and `limit` requests, until
    stop(); counts the answers by status and the failures (any exception: a refused connection,
    a failed TLS handshake). Started and stopped as a context manager."""

    def __init__(self, url, seconds=60, limit=20000):
        super().__init__(daemon=True)
        self.url, self.seconds, self.limit = url, seconds, limit
        self.statuses, self.errors = {}, []
        self._halt = threading.Event()

    def run(self):
        end = time.monotonic() + self.seconds
        while not self._halt.is_set() and time.monotonic() < end and self.count < self.limit:
            try:
                status = requests.get(self.url, timeout=5, headers={"Connection": "close"}).status_code
                self.statuses[status] = self.statuses.get(status, 0) + 1
            except requests.RequestException as error:
                self.errors.append(repr(error))

    @property
    def count(self):
        return sum(self.statuses.values()) + len(self.errors)

    @property
    def failed(self):
        return len(self.errors) + sum(n for status, n in self.statuses.items() if status != 200)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self._halt.set()
        self.join()
