# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hook_commands filter: one hook point's entries, ready to run."""

from __future__ import annotations

DOCUMENTATION = r"""
name: hook_commands
short_description: The commands of one point of django_app_hooks, ready to run
version_added: 0.3.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - "Each entry (a command line or C({command: ..., once: ...})) as C(argv) (the line split as a shell
    would), C(once), C(command) (the line, normalised) and C(key) (a name for the record of a C(once) hook)."
options:
  _input:
    description: The list of one hook point (for example C(django_app_hooks.post_migrate)).
    type: list
    elements: raw
    required: true
"""

EXAMPLES = r"""
- name: Run the post_migrate hooks
  ansible.builtin.command:
    argv: "{{ ['/srv/django/bin/manage'] + item.argv }}"
  loop: "{{ django_app_hooks.post_migrate | default([]) | django_aws.deploy.hook_commands }}"
  changed_when: true
"""

RETURN = r"""
_value:
  description: One dict per entry, in order.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.django_aws.deploy.plugins.plugin_utils.hooks import parse_hook


def hook_commands(entries):
    commands = []
    for entry in entries or []:
        try:
            commands.append(parse_hook(entry))
        except ValueError as exc:
            raise AnsibleFilterError(f"hook_commands: {entry!r}: {exc}") from None
    return commands


class FilterModule:
    def filters(self):
        return {"hook_commands": hook_commands}
