# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private_key test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: private_key
short_description: Does the text hold a private key?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when the text contains a PEM or OpenSSH private key block (C(-----BEGIN ... PRIVATE KEY-----)),
    that is a private key given where a public key belongs.
options:
  _input:
    description: Text, for example a key file's contents.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Refuse a private key given as the public one
  ansible.builtin.assert:
    that: lookup('ansible.builtin.file', ec2_host_public_key_file) is not django_aws.deploy.private_key
"""

RETURN = r"""
_value:
  description: Whether the text holds a private key.
  type: bool
"""

import re

PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")


def private_key(value):
    return isinstance(value, str) and PRIVATE_KEY.search(value) is not None


class TestModule:
    def tests(self):
        return {"private_key": private_key}
