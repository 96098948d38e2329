# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The database_url test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: database_url
short_description: Does a DATABASE_URL parse back to exactly what was written?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when the URL has a postgres scheme (C(postgres), C(postgresql), C(postgis)), a
    database name (the host may be empty - libpq's local socket), and splitting it into user, password,
    host, port, database and options loses nothing and moves nothing (characters RFC 3986 allows in a
    user or password may stay unencoded).
  - False when a character of the password is not percent-encoded (a C(#) starts a fragment, a second
    C(@) or a C(/) moves the host), when the port is not a number from 1 to 65535, or when a part is
    missing.
options:
  _input:
    description: A DATABASE_URL.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: A user-given DATABASE_URL reads as written
  ansible.builtin.assert:
    that: django_app_database_url is django_aws.deploy.database_url
  no_log: true
"""

RETURN = r"""
_value:
  description: Whether the URL parses back to itself.
  type: bool
"""

import re
from urllib.parse import urlsplit

SCHEMES = ("postgres", "postgresql", "postgis")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
DB_PATH = re.compile(r"^/[^/@?#]+$")


def database_url(value):
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in SCHEMES or parts.fragment or "#" in value:
        return False
    # Nothing lost in the split: scheme, user info and host, the database, the options.
    if value != f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else ""):
        return False
    userinfo, _at, _host = parts.netloc.rpartition("@")
    # A raw '@' or '/' in the password moves the host; a '%' must start an escape.
    if "@" in userinfo or BAD_ESCAPE.search(userinfo) or not DB_PATH.match(parts.path):
        return False
    # No host is libpq's local socket (postgres:///app, or ?host=/run/postgresql).
    return port is None or 0 < port < 65536


class TestModule:
    def tests(self):
        return {"database_url": database_url}
