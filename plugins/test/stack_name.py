# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack_name test: the one definition of a valid django_aws_stack."""

from __future__ import annotations

import re

DOCUMENTATION = r"""
name: stack_name
short_description: Is the value a valid stack name?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True for 2 to 32 lower-case letters, digits or single hyphens, starting with a letter and not
    ending with a hyphen.
  - The stack name prefixes AWS resource names (C(<stack>-db), C(<stack>-web-1)), SSM paths and
    tags, and must be valid in all of them; RDS identifiers, for one, take only lower-case
    letters, digits and hyphens, must start with a letter, and can't end with a hyphen or contain
    two consecutive hyphens (AWS refuses C(app-) and C(my--app) only after the network exists).
options:
  _input:
    description: Any value.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: The stack has a usable name
  ansible.builtin.assert:
    that: django_aws_stack is django_aws.deploy.stack_name
"""

RETURN = r"""
_value:
  description: Whether the value is a valid stack name.
  type: bool
"""

# No "--" anywhere, a letter first, a letter or digit last: RDS's DB instance identifier rules.
STACK_NAME = re.compile(r"(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]")


def stack_name(value):
    return isinstance(value, str) and STACK_NAME.fullmatch(value) is not None


class TestModule:
    def tests(self):
        return {"stack_name": stack_name}
