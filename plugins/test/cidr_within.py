# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cidr_within test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: cidr_within
short_description: Does an IPv4 block lie inside another?
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when the input block is a subnet of (or equal to) O(outer). False when either is not an
    IPv4 CIDR block.
options:
  _input:
    description: The inner block.
    type: str
    required: true
  outer:
    description: The outer block.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Subnets must lie inside the VPC
  ansible.builtin.assert:
    that: subnet_cidrs | reject('django_aws.deploy.cidr_within', vpc_cidr) | list | length == 0
"""

RETURN = r"""
_value:
  description: Whether the input lies inside O(outer).
  type: bool
"""

from ansible_collections.django_aws.deploy.plugins.test.ipv4_cidr import network


def cidr_within(value, outer):
    inner, outer = network(value), network(outer)
    return inner is not None and outer is not None and inner.subnet_of(outer)


class TestModule:
    def tests(self):
        return {"cidr_within": cidr_within}
