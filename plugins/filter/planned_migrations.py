# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planned_migrations filter: the migrations `manage.py migrate --plan` would apply."""

from __future__ import annotations

DOCUMENTATION = r"""
name: planned_migrations
short_description: The migrations that manage.py migrate --plan would apply
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - The C(app.name) of each migration in the output of C(manage.py migrate --plan), in order; an
    empty list for C(No planned migration operations).
options:
  _input:
    description: The command's standard output.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: List the pending migrations
  ansible.builtin.debug:
    msg: "{{ plan.stdout | django_aws.deploy.planned_migrations }}"
"""

RETURN = r"""
_value:
  description: Migrations, for example V(notes.0002_note_flag).
  type: list
  elements: str
"""

from ansible_collections.django_aws.deploy.plugins.plugin_utils.manage_output import planned_migrations


class FilterModule:
    def filters(self):
        return {"planned_migrations": planned_migrations}
