# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tcp_port test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: tcp_port
short_description: Is the value a TCP port number (1-65535)?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True for an integer (or a string of digits) from 1 to 65535. False for 0, a negative number,
    anything above 65535, a float or a boolean.
options:
  _input:
    description: Any value.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Ports are ports
  ansible.builtin.assert:
    that: nginx_proxy_http_port is django_aws.deploy.tcp_port
"""

RETURN = r"""
_value:
  description: Whether the value is a port number.
  type: bool
"""


def tcp_port(value):
    if isinstance(value, bool) or isinstance(value, float):
        return False
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            return False
        value = int(value)
    return isinstance(value, int) and 1 <= value <= 65535


class TestModule:
    def tests(self):
        return {"tcp_port": tcp_port}
