# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The database_url filter: a DATABASE_URL from its parts."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: database_url
short_description: Build a DATABASE_URL from its parts
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - Builds a C(postgres://user:password@host:port/dbname) URL as Django's dj-database-url reads it.
  - User and password are percent-encoded, so passwords with C(@), C(:), C(/) or C(%) are safe.
options:
  _input:
    description: Host name or address of the database server (for example the RDS endpoint address).
    type: str
    required: true
  user:
    description: User name.
    type: str
    required: true
  password:
    description: Password (percent-encoded in the result).
    type: str
    required: true
  dbname:
    description: Database name.
    type: str
    required: true
  port:
    description: TCP port.
    type: int
    default: 5432
  sslmode:
    description: libpq C(sslmode) added as a query parameter; omitted when not given.
    type: str
    choices: [disable, allow, prefer, require, verify-ca, verify-full]
  sslrootcert:
    description:
      - Path, on the host that connects, of the CA certificates libpq verifies the server with (libpq
        C(sslrootcert)), added as a query parameter after O(sslmode); omitted when not given.
      - Needed with C(verify-ca) and C(verify-full), which are refused without it.
    type: path
  scheme:
    description: URL scheme.
    type: str
    default: postgres
"""

EXAMPLES = r"""
- name: DATABASE_URL for the RDS endpoint that rds_endpoint_info found
  ansible.builtin.set_fact:
    django_app_database_url: >-
      {{ rds.address | django_aws.deploy.database_url(user='app', password=db_password,
         dbname='app', port=rds.port, sslmode='verify-full',
         sslrootcert='/etc/ssl/rds/ca-bundle.pem') }}
  no_log: true
"""

RETURN = r"""
_value:
  description: The URL, for example C(postgres://app:p%40ss@db.example.com:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/rds/ca-bundle.pem).
  type: str
"""

SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def database_url(host, user, password, dbname, port=5432, sslmode=None, sslrootcert=None, scheme="postgres"):
    """Return a DATABASE_URL with user and password percent-encoded."""
    for name, value in (("host", host), ("user", user), ("dbname", dbname)):
        if not value or not isinstance(value, str):
            raise AnsibleFilterError(f"database_url: {name} must be a non-empty string")
    if password is None or not isinstance(password, str):
        raise AnsibleFilterError("database_url: password must be a string")
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise AnsibleFilterError(f"database_url: port must be a number, got {port!r}") from None
    if not 0 < port < 65536:
        raise AnsibleFilterError(f"database_url: port must be between 1 and 65535, got {port}")
    if sslmode is not None and sslmode not in SSLMODES:
        raise AnsibleFilterError(
            f"database_url: sslmode must be one of {', '.join(SSLMODES)}, got {sslmode!r}")
    if sslrootcert not in (None, "") and (not isinstance(sslrootcert, str) or not sslrootcert.startswith("/")):
        raise AnsibleFilterError(f"database_url: sslrootcert must be an absolute path, got {sslrootcert!r}")
    if sslmode in ("verify-ca", "verify-full") and not sslrootcert:
        raise AnsibleFilterError(f"database_url: sslmode {sslmode} needs sslrootcert (the CA certificates to verify with)")
    netloc_host = f"[{host}]" if ":" in host else host
    url = (f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}"
           f"@{netloc_host}:{port}/{quote(dbname, safe='')}")
    query = {name: value for name, value in (("sslmode", sslmode), ("sslrootcert", sslrootcert)) if value}
    if query:
        url += "?" + urlencode(query, safe="/")
    return url


class FilterModule:
    """django_aws.deploy filters."""

    def filters(self):
        return {"database_url": database_url}
