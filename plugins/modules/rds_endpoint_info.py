#!/usr/bin/python
# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: rds_endpoint_info
short_description: Find an RDS DB instance's endpoint, optionally waiting until it is available
version_added: 0.1.0
description:
  - Finds one RDS DB instance by identifier or by tags and returns what a client needs to
    connect to it (address, port, master user name, database name) and its state.
  - With O(wait=true), polls until the instance is C(available), so a play can start creating
    the database early and do other work before it needs the endpoint.
  - Fails when no instance (or more than one) matches, when waiting times out, and when the
    instance reaches a state from which it does not become available by itself
    (for example C(failed), C(incompatible-parameters), C(storage-full), C(stopped)).
author: django_aws.deploy maintainers (@django-aws)
options:
  db_instance_identifier:
    description: The DB instance identifier.
    type: str
    aliases: [id]
  tags:
    description: Tags the instance must carry (all of them), when the identifier is not known.
    type: dict
  wait:
    description: Wait until the instance is C(available).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait at most.
    type: int
    default: 1800
  wait_delay:
    description: Seconds between two checks.
    type: int
    default: 15
notes:
  - Only reads; O(wait) never changes the instance.
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
- name: Wait for the database created earlier in the play, then build DATABASE_URL
  django_aws.deploy.rds_endpoint_info:
    db_instance_identifier: mystack-db
    wait: true
    wait_timeout: 1800
  register: db

- name: Find the instance by its stack tag
  django_aws.deploy.rds_endpoint_info:
    tags:
      django_aws:stack: mystack
  register: db
"""

RETURN = r"""
db_instance_identifier:
  description: The instance's identifier.
  returned: success
  type: str
  sample: mystack-db
address:
  description: DNS name of the endpoint.
  returned: success
  type: str
  sample: mystack-db.abcdefghijkl.eu-west-1.rds.amazonaws.com
port:
  description: Port of the endpoint.
  returned: success
  type: int
  sample: 5432
status:
  description: The instance's state when the module returned.
  returned: success
  type: str
  sample: available
engine:
  description: Database engine.
  returned: success
  type: str
  sample: postgres
engine_version:
  description: Engine version.
  returned: success
  type: str
  sample: "17.4"
master_username:
  description: The master user's name.
  returned: success
  type: str
  sample: dbadmin
db_name:
  description: Name of the database created with the instance (empty when none).
  returned: success
  type: str
  sample: app
arn:
  description: The instance's ARN.
  returned: success
  type: str
  sample: arn:aws:rds:eu-west-1:123456789012:db:mystack-db
waited:
  description: Seconds spent waiting (0 without O(wait)).
  returned: success
  type: float
  sample: 312.4
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.rds import AnsibleRDSError

from ansible_collections.django_aws.deploy.plugins.module_utils.rds import RdsWaitError
from ansible_collections.django_aws.deploy.plugins.module_utils.rds import find_db_instances
from ansible_collections.django_aws.deploy.plugins.module_utils.rds import wait_until_available


def describe_result(instance, waited):
    endpoint = instance.get("Endpoint") or {}
    return {
        "db_instance_identifier": instance["DBInstanceIdentifier"],
        "address": endpoint.get("Address", ""),
        "port": endpoint.get("Port", 0),
        "status": instance.get("DBInstanceStatus", ""),
        "engine": instance.get("Engine", ""),
        "engine_version": instance.get("EngineVersion", ""),
        "master_username": instance.get("MasterUsername", ""),
        "db_name": instance.get("DBName", ""),
        "arn": instance.get("DBInstanceArn", ""),
        "waited": waited,
    }


def find_one(module, client):
    identifier = module.params["db_instance_identifier"]
    tags = module.params["tags"]
    instances = find_db_instances(client, identifier=identifier, tags=tags)
    what = f"identifier '{identifier}'" if identifier else f"tags {tags}"
    if not instances:
        module.fail_json(msg=f"No RDS DB instance found with {what}")
    if len(instances) > 1:
        names = ", ".join(i["DBInstanceIdentifier"] for i in instances)
        module.fail_json(msg=f"{len(instances)} RDS DB instances match {what}: {names}")
    return instances[0]


def main():
    argument_spec = dict(
        db_instance_identifier=dict(type="str", aliases=["id"]),
        tags=dict(type="dict"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
        wait_delay=dict(type="int", default=15),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_one_of=[["db_instance_identifier", "tags"]],
        mutually_exclusive=[["db_instance_identifier", "tags"]],
        supports_check_mode=True,
    )
    if module.params["wait_timeout"] < 0 or module.params["wait_delay"] < 1:
        module.fail_json(msg="wait_timeout must be >= 0 and wait_delay >= 1")
    # amazon.aws's describe_db_instances (module_utils.rds) is paginated and retried on
    # throttling itself; its other errors arrive as AnsibleRDSError.
    client = module.client("rds")
    try:
        find_and_wait(module, client)
    except AnsibleRDSError as e:
        module.fail_json_aws_error(e)


def find_and_wait(module, client):
    instance = find_one(module, client)
    waited = 0.0
    if module.params["wait"]:
        identifier = instance["DBInstanceIdentifier"]

        def describe():
            found = find_db_instances(client, identifier=identifier)
            return found[0] if found else None

        try:
            instance, waited = wait_until_available(
                describe, module.params["wait_timeout"], module.params["wait_delay"])
        except RdsWaitError as e:
            extra = describe_result(e.instance, None) if e.instance else {}
            module.fail_json(msg=f"RDS DB instance '{identifier}': {e}", **extra)
    module.exit_json(changed=False, **describe_result(instance, waited))


if __name__ == "__main__":
    main()
