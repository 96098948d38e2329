# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests for CIDR blocks: ipv4_cidr and cidr_within."""

from __future__ import annotations

import ipaddress

DOCUMENTATION = r"""
name: ipv4_cidr
short_description: Is the value an IPv4 CIDR block?
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True for a network address with a prefix, for example V(10.20.0.0/16); false for host bits
    set (V(10.20.0.1/16)), a missing prefix or anything that is not an address.
  - This file also holds the C(cidr_within) test: C(subnet is django_aws.deploy.cidr_within(vpc_cidr)).
options:
  _input:
    description: The value.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Refuse a bad CIDR before calling AWS
  ansible.builtin.assert:
    that:
      - aws_network_vpc_cidr is django_aws.deploy.ipv4_cidr
      - aws_network_public_subnet_cidrs is all_subnets_inside
    fail_msg: aws_network_vpc_cidr must be an IPv4 CIDR block
"""

RETURN = r"""
_value:
  description: Whether the value is an IPv4 CIDR block.
  type: bool
"""


def _network(value):
    if not isinstance(value, str) or "/" not in value:
        return None
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        return None


def ipv4_cidr(value):
    return _network(value) is not None


def cidr_within(value, outer):
    inner, outer = _network(value), _network(outer)
    return inner is not None and outer is not None and inner.subnet_of(outer)


class TestModule:
    def tests(self):
        return {"ipv4_cidr": ipv4_cidr, "cidr_within": cidr_within}
