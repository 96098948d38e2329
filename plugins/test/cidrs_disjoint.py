# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cidrs_disjoint test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: cidrs_disjoint
short_description: Do IPv4 blocks not overlap each other?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when no two blocks of the list share an address. Blocks that are not IPv4 CIDR blocks are
    ignored (the ipv4_cidr test reports them).
options:
  _input:
    description: A list of IPv4 CIDR blocks.
    type: list
    required: true
"""

EXAMPLES = r"""
- name: Subnets do not overlap
  ansible.builtin.assert:
    that: (public_cidrs + private_cidrs) is django_aws.deploy.cidrs_disjoint
"""

RETURN = r"""
_value:
  description: Whether the blocks are disjoint.
  type: bool
"""

from ansible_collections.django_aws.deploy.plugins.test.ipv4_cidr import network


def cidrs_disjoint(value):
    blocks = [block for block in (network(item) for item in value or []) if block is not None]
    return not any(a.overlaps(b) for index, a in enumerate(blocks) for b in blocks[index + 1:])


class TestModule:
    def tests(self):
        return {"cidrs_disjoint": cidrs_disjoint}
