# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The migration_targets filter: where a migration rollback takes each app back to."""

from __future__ import annotations

DOCUMENTATION = r"""
name: migration_targets
short_description: Where a migration rollback takes each app back to
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - From the output of C(manage.py showmigrations --plan) before migrating and the pending
    migrations, the last applied migration of each app that has pending ones (V(zero) when it has
    none applied) - the arguments of C(manage.py migrate <app> <target>) that undo the deploy's.
options:
  _input:
    description: The standard output of C(showmigrations --plan).
    type: str
    required: true
  pending:
    description: The pending migrations (C(app.name)), as planned_migrations returns them.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Where to go back to
  ansible.builtin.debug:
    msg: "{{ applied.stdout | django_aws.deploy.migration_targets(pending) }}"
"""

RETURN = r"""
_value:
  description: App label to migration name (or V(zero)).
  type: dict
"""

from ansible_collections.django_aws.deploy.plugins.plugin_utils.manage_output import migration_targets


class FilterModule:
    def filters(self):
        return {"migration_targets": migration_targets}
