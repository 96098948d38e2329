# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The irreversible_migrations filter: operations a backward migrate --plan cannot undo."""

from __future__ import annotations

DOCUMENTATION = r"""
name: irreversible_migrations
short_description: The operations a backward manage.py migrate --plan cannot undo
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - From the output of C(manage.py migrate <app> <target> --plan) going backwards, each operation
    Django marks C(IRREVERSIBLE) (a RunPython without reverse_code, a RunSQL without reverse_sql),
    as C(app.migration) and the operation, with a colon between them.
options:
  _input:
    description: The command's standard output.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Refuse to go back over an irreversible migration
  ansible.builtin.assert:
    that: back.stdout | django_aws.deploy.irreversible_migrations | length == 0
"""

RETURN = r"""
_value:
  description: "The irreversible operations, for example V(notes.0003_fill: Raw Python operation)."
  type: list
  elements: str
"""

from ansible_collections.django_aws.deploy.plugins.plugin_utils.manage_output import irreversible_migrations


class FilterModule:
    def filters(self):
        return {"irreversible_migrations": irreversible_migrations}
