# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route53_plan filter: which of the site's names need their A record set in Route 53."""

from __future__ import annotations

from ansible_collections.django_aws.deploy.plugins.module_utils.route53 import route53_plan

DOCUMENTATION = r"""
name: route53_plan
short_description: Which of the site's names need their A record set, and which cannot have one
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - Compares a hosted zone's record sets with the A record each name should have (every address,
    one TTL), values compared as a set (Route 53 does not keep their order).
  - A name with a CNAME, an alias A record (a load balancer, CloudFront) or A records with a
    routing policy (a set identifier) is a conflict - setting a plain A record there would be
    refused by Route 53 or would repoint what the user built.
options:
  _input:
    description: The zone's record sets (amazon.aws.route53_info, query record_sets, resource_record_sets).
    type: list
    elements: dict
    required: true
  names:
    description: The DNS names (no trailing dot).
    type: list
    elements: str
    required: true
  addresses:
    description: The addresses each name's A record holds.
    type: list
    elements: str
    required: true
  ttl:
    description: The records' TTL.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: What to change
  ansible.builtin.set_fact:
    plan: "{{ zone.resource_record_sets | django_aws.deploy.route53_plan(['www.example.com'], ['203.0.113.7'], 300) }}"
"""

RETURN = r"""
_value:
  description: C(stale) - the names whose A record is missing or differs; C(conflicts) - the names that cannot get one.
  type: dict
"""


class FilterModule:
    def filters(self):
        return {"route53_plan": route53_plan}
