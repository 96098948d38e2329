"""The demo app's proofs over HTTP, shared by the e2e test, molecule verifiers, make demo and the
bench: /healthz with the database, and a row written through the page (CSRF token, Origin
header as a browser sends it) and read back.

Each raises AssertionError with what it saw, so a caller cannot mistake nothing for a pass.
"""
import re
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
