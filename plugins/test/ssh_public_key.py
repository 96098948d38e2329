# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ssh_public_key test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ssh_public_key
short_description: Is the text an OpenSSH public key that EC2 imports?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when the text is one line C(TYPE BASE64 [comment]) with TYPE C(ssh-ed25519) or C(ssh-rsa) (the
    key types EC2 ImportKeyPair takes), the base64 decodes and the key blob starts with the same type
    name.
  - False for a private key, an ECDSA or DSA key, an empty file or anything else.
options:
  _input:
    description: The contents of a public key file.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: The key file holds a public key
  ansible.builtin.assert:
    that: lookup('ansible.builtin.file', ec2_host_public_key_file) is django_aws.deploy.ssh_public_key
"""

RETURN = r"""
_value:
  description: Whether the text is an importable OpenSSH public key.
  type: bool
"""

import base64
import binascii
import struct

EC2_KEY_TYPES = ("ssh-ed25519", "ssh-rsa")


def ssh_public_key(value):
    if not isinstance(value, str):
        return False
    lines = [line for line in value.strip().splitlines() if line.strip()]
    if len(lines) != 1:
        return False
    fields = lines[0].split()
    if len(fields) < 2 or fields[0] not in EC2_KEY_TYPES:
        return False
    try:
        blob = base64.b64decode(fields[1], validate=True)
        (length,) = struct.unpack(">I", blob[:4])
    except (binascii.Error, ValueError, struct.error):
        return False
    return blob[4:4 + length] == fields[0].encode()


class TestModule:
    def tests(self):
        return {"ssh_public_key": ssh_public_key}
