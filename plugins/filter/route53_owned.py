# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route53_owned filter: the A records of a hosted zone that lead only to the stack's addresses."""

from __future__ import annotations

from ansible_collections.django_aws.deploy.plugins.module_utils.route53 import route53_owned

DOCUMENTATION = r"""
name: route53_owned
short_description: The plain A records of a hosted zone whose every address is one of the given ones
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - What a teardown may remove - A records with values of their own (not an alias, no routing policy)
    that lead to the stack's addresses only. A record that also leads elsewhere is not the stack's.
  - Names are returned as a user writes them (Route 53's octal escapes such as C(\052) decoded, no trailing dot).
options:
  _input:
    description: The zone's record sets (amazon.aws.route53_info, query record_sets, resource_record_sets).
    type: list
    elements: dict
    required: true
  addresses:
    description: The stack's addresses.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: The records to remove
  ansible.builtin.debug:
    msg: "{{ zone.resource_record_sets | django_aws.deploy.route53_owned(['203.0.113.7']) }}"
"""

RETURN = r"""
_value:
  description: One item per record - C(name), C(ttl), C(values) (sorted), as a DELETE must give them.
  type: list
  elements: dict
"""


class FilterModule:
    def filters(self):
        return {"route53_owned": route53_owned}
