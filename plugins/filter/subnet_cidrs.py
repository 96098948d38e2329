# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The subnet_cidrs filter: consecutive subnets carved out of a VPC's CIDR block."""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: subnet_cidrs
short_description: Carve consecutive subnets out of a CIDR block
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - Returns O(count) consecutive IPv4 subnets of size O(prefix), starting at subnet number
    O(offset) of the input block. Needs no third-party library.
options:
  _input:
    description: The block, for example a VPC's CIDR V(10.20.0.0/16).
    type: str
    required: true
  prefix:
    description: Prefix length of each subnet (larger than the block's).
    type: int
    required: true
  count:
    description: How many subnets.
    type: int
    default: 1
  offset:
    description: Number of the first subnet inside the block.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Two public /24 subnets at the start of the VPC, two private ones from the 11th /24
  ansible.builtin.set_fact:
    public: "{{ '10.20.0.0/16' | django_aws.deploy.subnet_cidrs(24, count=2) }}"
    private: "{{ '10.20.0.0/16' | django_aws.deploy.subnet_cidrs(24, count=2, offset=10) }}"
"""

RETURN = r"""
_value:
  description: The subnets, for example V(['10.20.0.0/24', '10.20.1.0/24']).
  type: list
  elements: str
"""


def subnet_cidrs(block, prefix, count=1, offset=0):
    try:
        network = ipaddress.IPv4Network(str(block), strict=True)
    except ValueError as e:
        raise AnsibleFilterError(f"subnet_cidrs: {block!r} is not an IPv4 CIDR block: {e}") from None
    prefix, count, offset = int(prefix), int(count), int(offset)
    if not network.prefixlen < prefix <= 28:
        raise AnsibleFilterError(
            f"subnet_cidrs: prefix {prefix} must be longer than /{network.prefixlen} and at most /28")
    available = 2 ** (prefix - network.prefixlen)
    if count < 1 or offset < 0 or offset + count > available:
        raise AnsibleFilterError(
            f"subnet_cidrs: {block} holds {available} /{prefix} subnets; "
            f"subnets {offset} to {offset + count - 1} do not fit")
    size = 2 ** (32 - prefix)
    first = int(network.network_address)
    return [str(ipaddress.IPv4Network((first + (offset + i) * size, prefix)))
            for i in range(count)]


class FilterModule:
    def filters(self):
        return {"subnet_cidrs": subnet_cidrs}
