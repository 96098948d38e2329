# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ipv4_cidr test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ipv4_cidr
short_description: Is the value an IPv4 CIDR block?
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True for a network address with a prefix, for example V(10.20.0.0/16); false when host bits
    are set (V(10.20.0.1/16)), the prefix is missing, or the value is not an address.
options:
  _input:
    description: The value.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Refuse a bad block before calling AWS
  ansible.builtin.assert:
    that: aws_network_vpc_cidr is django_aws.deploy.ipv4_cidr
"""

RETURN = r"""
_value:
  description: Whether the value is an IPv4 CIDR block.
  type: bool
"""

import ipaddress


def network(value):
    """The IPv4 network a string names, or None."""
    if not isinstance(value, str) or "/" not in value:
        return None
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        return None


def ipv4_cidr(value):
    return network(value) is not None


class TestModule:
    def tests(self):
        return {"ipv4_cidr": ipv4_cidr}
