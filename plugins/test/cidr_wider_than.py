# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cidr_wider_than test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: cidr_wider_than
short_description: Does an IPv4 block hold more addresses than a given prefix length allows?
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when the input is an IPv4 CIDR block whose prefix is shorter than O(prefix), in any
    notation Python's ipaddress reads (C(0.0.0.0/0), C(0.0.0.0/00), C(0.0.0.0/0.0.0.0) alike).
    False when it is narrower or not an IPv4 CIDR block.
options:
  _input:
    description: The block.
    type: str
    required: true
  prefix:
    description: The shortest prefix length accepted.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: SSH must not be open to the internet
  ansible.builtin.assert:
    that: aws_network_ssh_cidrs | select('django_aws.deploy.cidr_wider_than', 8) | list | length == 0
"""

RETURN = r"""
_value:
  description: Whether the block is wider than a /O(prefix).
  type: bool
"""

from ansible_collections.django_aws.deploy.plugins.test.ipv4_cidr import network


def cidr_wider_than(value, prefix):
    block = network(value)
    return block is not None and block.prefixlen < int(prefix)


class TestModule:
    def tests(self):
        return {"cidr_wider_than": cidr_wider_than}
