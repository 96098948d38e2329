# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tagged filter: the resources of an amazon.aws info module that carry every given tag."""

from __future__ import annotations

DOCUMENTATION = r"""
name: tagged
short_description: The resources of an amazon.aws info module's result that carry the given tags
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - Keeps the resources whose tags include every key of O(tags) with its value.
  - Reads a resource's tags from C(tags) (a dict, as most amazon.aws info modules return them) or,
    when that is empty or missing, from C(tag_list) or C(TagList) (a list of C(key)/C(value)
    items). amazon.aws 10's C(rds_snapshot_info) returns an empty C(tags) and the snapshot's real
    tags in C(tag_list); selecting on C(tags) alone finds no snapshot at all.
options:
  _input:
    description: The resources (for example C(rds_snapshot_info)'s C(snapshots)).
    type: list
    elements: dict
    required: true
  tags:
    description: Tag keys and the values they must have.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: The stack's release snapshots
  ansible.builtin.debug:
    msg: "{{ found.snapshots | django_aws.deploy.tagged({'django_aws:stack': 'demo', 'django_aws:snapshot': 'release'}) }}"
"""

RETURN = r"""
_value:
  description: The resources that carry every tag, in their input order.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError


def tags_of(resource):
    """A resource's tags as a dict, from whichever form the module returned."""
    tags = resource.get("tags")
    if isinstance(tags, dict) and tags:
        return tags
    for key in ("tag_list", "TagList"):
        items = resource.get(key)
        if isinstance(items, list) and items:
            return {item.get("key", item.get("Key")): item.get("value", item.get("Value")) for item in items}
    return {}


def tagged(resources, tags):
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise AnsibleFilterError("tagged: the input must be a list of resources (dicts)")
    if not isinstance(tags, dict) or not tags:
        raise AnsibleFilterError("tagged: tags must be a non-empty dict of tag keys to values")
    return [r for r in resources if all(tags_of(r).get(k) == v for k, v in tags.items())]


class FilterModule:
    def filters(self):
        return {"tagged": tagged}
