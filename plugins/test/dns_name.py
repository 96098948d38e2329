# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dns_name test: the one definition of a site's DNS name (a domain, an alias, a hosted zone)."""

from __future__ import annotations

import re

DOCUMENTATION = r"""
name: dns_name
short_description: Is the value a DNS name a public CA certifies?
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True for a string of two labels or more separated by dots, each label 1 to 63 letters, digits
    or hyphens, not starting or ending with a hyphen, the last one starting with a letter
    (V(www.example.com)). No wildcard, no trailing dot, no address, no line break.
  - Used for the site's domain and aliases, the ACME certificate's names and the Route 53 hosted zone.
options:
  _input:
    description: Any value.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: The site's domain is a DNS name
  ansible.builtin.assert:
    that: django_aws_domain is django_aws.deploy.dns_name
"""

RETURN = r"""
_value:
  description: Whether the value is such a DNS name.
  type: bool
"""

LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
TOP_LABEL = r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# fullmatch: nothing after the name, not even the newline that '$' would let through.
DNS_NAME = re.compile(rf"(?:{LABEL}\.)+{TOP_LABEL}")


def dns_name(value):
    return isinstance(value, str) and len(value) <= 253 and DNS_NAME.fullmatch(value) is not None


class TestModule:
    def tests(self):
        return {"dns_name": dns_name}
