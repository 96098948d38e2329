#!/usr/bin/python
# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: rds_parameters_info
short_description: Tell which settings of an RDS DB parameter group apply at once and which at a reboot
version_added: 0.1.0
description:
  - Reads the parameters of a DB parameter group (every page) and returns, for each one asked
    for, its value, whether it can be changed and how a change applies (C(dynamic) - at once with
    C(ApplyMethod=immediate); C(static) - at the instance's next reboot).
  - amazon.aws.rds_instance_param_group applies every setting with one method; AWS refuses
    C(immediate) for a static parameter, and a dynamic one sent C(pending-reboot) waits for a
    reboot as well. This tells the two apart before they are sent.
  - Given the wanted settings (O(settings)), splits them into RV(dynamic) and RV(static), and
    names the static ones whose value would change in RV(static_changes) (they take effect only
    when the instances using the group reboot). A name the group does not have counts as dynamic,
    so that the module applying it reports it.
  - A group that does not exist is not an error (RV(exists) is false; every setting is dynamic).
author: django_aws.deploy maintainers (@django-aws)
options:
  db_parameter_group_name:
    description: The parameter group.
    type: str
    required: true
  settings:
    description: The wanted settings, name to value (as given to amazon.aws.rds_instance_param_group).
    type: dict
    default: {}
notes:
  - Only reads.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
"""

EXAMPLES = r"""
- name: Learn which settings apply at once and which at the next reboot
  django_aws.deploy.rds_parameters_info:
    db_parameter_group_name: mystack-postgres17
    settings:
      log_min_duration_statement: 500
      max_connections: 150
  register: current

- name: Apply the dynamic ones at once
  amazon.aws.rds_instance_param_group:
    name: mystack-postgres17
    engine: postgres17
    description: mystack PostgreSQL settings
    params: "{{ current.dynamic }}"
    immediate: true
"""

RETURN = r"""
exists:
  description: Whether the group exists.
  returned: always
  type: bool
dynamic:
  description: The settings of O(settings) that apply at once (or that the group does not have).
  returned: always
  type: dict
  sample: {log_min_duration_statement: 500}
static:
  description: The settings of O(settings) that apply at the next reboot.
  returned: always
  type: dict
  sample: {max_connections: 150}
static_changes:
  description: Names of the static settings whose value differs from the group's.
  returned: always
  type: list
  elements: str
  sample: [max_connections]
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible.module_utils.parsing.convert_bool import BOOLEANS_TRUE

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.django_aws.deploy.plugins.module_utils.rds import db_parameters


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            db_parameter_group_name=dict(type="str", required=True),
            settings=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    client = module.client("rds")
    name = module.params["db_parameter_group_name"]
    try:
        found = db_parameters(client, name, AWSRetry.jittered_backoff())
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Could not read the parameters of DB parameter group {name}")
    module.exit_json(changed=False, exists=found is not None, **split_settings(module.params["settings"], found or {}))


# Unit suffixes amazon.aws.rds_instance_param_group accepts on integer settings (10M and so on).
INT_MODIFIERS = {"K": 1024, "M": pow(1024, 2), "G": pow(1024, 3), "T": pow(1024, 4)}


def as_parameter_value(value, data_type):
    """A setting as amazon.aws.rds_instance_param_group sends it (and RDS then lists it): integers
    with their unit suffix multiplied out, booleans as 1/0, everything else as text."""
    if data_type == "integer" and isinstance(value, str) and value[-1:] in INT_MODIFIERS:
        try:
            return str(int(value[:-1]) * INT_MODIFIERS[value[-1]])
        except ValueError:
            return value  # an expression such as {DBInstanceClassMemory/4}: sent as it is
    if data_type in ("integer", "boolean") and isinstance(value, bool):
        return "1" if value else "0"
    if data_type == "boolean":
        return "1" if str(value).lower() in BOOLEANS_TRUE else "0"
    return str(value)


def split_settings(settings, parameters):
    """{dynamic, static, static_changes} of the wanted settings against the group's parameters."""
    static = {name: value for name, value in settings.items()
              if parameters.get(name, {}).get("ApplyType") == "static"}
    return {
        "dynamic": {name: value for name, value in settings.items() if name not in static},
        "static": static,
        "static_changes": sorted(name for name, value in static.items()
                                 if as_parameter_value(value, parameters[name].get("DataType"))
                                 != parameters[name].get("ParameterValue")),
    }


if __name__ == "__main__":
    main()
