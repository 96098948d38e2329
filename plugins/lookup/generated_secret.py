# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generated_secret lookup: the one generator of every secret the collection creates."""

from __future__ import annotations

DOCUMENTATION = r"""
name: generated_secret
short_description: A new random secret (password or key) from the system's CSPRNG
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - Returns a new secret of O(length) characters drawn with Python's C(secrets) module (the
    operating system's cryptographically secure generator).
  - The alphabet is letters and digits only, so a secret never needs escaping in a URL
    (DATABASE_URL), a shell-quoted environment file, SQL or an SSM parameter.
  - Every secret the collection generates comes from here (the RDS master password, a local
    PostgreSQL password, Django's SECRET_KEY), so there is one rule for length and alphabet.
    Callers store it once (an SSM parameter that is never overwritten, a file written with C(force=false))
    and never generate it again.
options:
  length:
    description: Number of characters; at least 16.
    type: int
    default: 32
"""

EXAMPLES = r"""
- name: Store a generated password once
  community.aws.ssm_parameter:
    name: /demo/rds/master-password
    string_type: SecureString
    value: "{{ lookup('django_aws.deploy.generated_secret', length=32) }}"
    overwrite_value: never
  no_log: true
"""

RETURN = r"""
_raw:
  description: One secret.
  type: list
  elements: str
"""

import secrets
import string

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

ALPHABET = string.ascii_letters + string.digits
MIN_LENGTH = 16


def generated_secret(length=32):
    """A secret of `length` letters and digits (about 5.95 bits each)."""
    if not isinstance(length, int) or isinstance(length, bool) or length < MIN_LENGTH:
        raise ValueError(f"length must be an integer of at least {MIN_LENGTH} (got {length!r})")
    return "".join(secrets.choice(ALPHABET) for _position in range(length))


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        try:
            return [generated_secret(self.get_option("length"))]
        except ValueError as error:
            raise AnsibleError(f"generated_secret: {error}") from error
