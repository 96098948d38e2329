# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The path_overlaps test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: path_overlaps
short_description: Is one absolute path the same as another, inside it, or around it?
version_added: 0.1.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True when the input path and O(other) name the same directory, or one lies inside the other.
  - Paths are compared as written, after removing repeated and trailing slashes and C(.) parts
    (no file system is read, the paths are on another host). A path with a C(..) part is never
    considered the same as another (refuse such paths with another rule first).
options:
  _input:
    description: An absolute path.
    type: str
    required: true
  other:
    description: Another absolute path.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Uploads must not be stored among the releases' code
  ansible.builtin.assert:
    that: not (django_app_media_root is django_aws.deploy.path_overlaps(django_app_root ~ '/releases'))
"""

RETURN = r"""
_value:
  description: Whether the two paths overlap.
  type: bool
"""


def parts(path):
    """The path's parts, or None for a path that cannot be compared as written."""
    found = [part for part in str(path).split("/") if part not in ("", ".")]
    return None if ".." in found else found


def path_overlaps(value, other):
    mine, theirs = parts(value), parts(other)
    if mine is None or theirs is None:
        return False
    shorter = min(len(mine), len(theirs))
    return mine[:shorter] == theirs[:shorter]


class TestModule:
    def tests(self):
        return {"path_overlaps": path_overlaps}
