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
  - True when the URL has a postgres scheme (C(postgres), C(postgresql), C(postgis)), a host and a
    database name, and splitting it into user, password, host, port and path and joining the parts again
    gives the same URL.
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

from urllib.parse import quote, unquote, urlsplit

SCHEMES = ("postgres", "postgresql", "postgis")


def database_url(value):
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in SCHEMES or not parts.hostname or parts.path.strip("/") == "" or parts.fragment:
        return False
    if port is not None and not 0 < port < 65536:
        return False
    userinfo = ""
    if parts.username is not None:
        userinfo = quote(unquote(parts.username), safe="")
        if parts.password is not None:
            userinfo += ":" + quote(unquote(parts.password), safe="")
        userinfo += "@"
    host = parts.netloc.rpartition("@")[2]
    rebuilt = f"{parts.scheme}://{userinfo}{host}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return rebuilt == value


class TestModule:
    def tests(self):
        return {"database_url": database_url}
