# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The path_parents filter: the parent directories of relative paths, outermost first."""

from __future__ import annotations

DOCUMENTATION = r"""
name: path_parents
short_description: The parent directories of relative paths, outermost first, once each
version_added: 0.3.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - For V([var/cache, var/uploads/images]), V([var, var/uploads]) - the directories to create, in order,
    before the paths themselves (not the paths).
options:
  _input:
    description: Relative paths.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Create the parents, root's
  ansible.builtin.file:
    path: "/srv/app/shared/{{ item }}"
    state: directory
    mode: "0755"
  loop: "{{ ['var/cache'] | django_aws.deploy.path_parents }}"
"""

RETURN = r"""
_value:
  description: Parent directories, outermost first.
  type: list
  elements: str
"""

from posixpath import dirname


def path_parents(paths):
    parents = []
    for path in paths:
        parent = dirname(str(path).strip("/"))
        chain = []
        while parent:
            chain.append(parent)
            parent = dirname(parent)
        parents.extend(p for p in reversed(chain) if p not in parents)
    return parents


class FilterModule:
    def filters(self):
        return {"path_parents": path_parents}
