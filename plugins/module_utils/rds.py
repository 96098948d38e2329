# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared RDS calls for django_aws.deploy modules (retried; not-found is not an error)."""

from __future__ import annotations

import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.rds import describe_db_instances
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# States from which an instance does not become available without someone acting.
TERMINAL_STATES = frozenset({
    "failed",
    "incompatible-credentials",
    "incompatible-network",
    "incompatible-option-group",
    "incompatible-parameters",
    "incompatible-restore",
    "inaccessible-encryption-credentials",
    "restore-error",
    "storage-full",
    "deleting",
    "stopped",
    "stopping",
})


class RdsWaitError(Exception):
    """Waiting ended without an available instance; the message says why."""

    def __init__(self, message, instance=None):
        super().__init__(message)
        self.instance = instance


def find_db_instances(client, identifier=None, tags=None):
    """Instances with this identifier, or carrying all these tags ([] when none)."""
    if identifier:
        instances = describe_db_instances(client, DBInstanceIdentifier=identifier)
    else:
        instances = describe_db_instances(client)
    if tags:
        wanted = {str(k): str(v) for k, v in tags.items()}
        instances = [
            i for i in instances
            if wanted.items() <= boto3_tag_list_to_ansible_dict(i.get("TagList", [])).items()
        ]
    return instances


def wait_until_available(describe, timeout, delay, sleep=None, clock=None):
    """Poll describe() until the instance is available.

    describe() returns the instance dict or None (gone). Returns (instance, seconds waited).
    Raises RdsWaitError on a terminal state, disappearance or timeout.
    """
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    start = clock()
    while True:
        instance = describe()
        if instance is None:
            raise RdsWaitError("the DB instance disappeared while waiting for it")
        status = instance.get("DBInstanceStatus")
        if status == "available":
            return instance, round(clock() - start, 1)
        if status in TERMINAL_STATES:
            raise RdsWaitError(
                f"the DB instance is in state '{status}' and will not become available by itself",
                instance)
        waited = clock() - start
        if waited + delay > timeout:
            raise RdsWaitError(
                f"timed out after {int(waited)}s waiting for the DB instance to become available "
                f"(last state '{status}')", instance)
        sleep(delay)


def db_parameters(client, group_name, retry_decorator):
    """{name: DescribeDBParameters entry} of a DB parameter group (every page), or None when the
    group does not exist."""
    paginator = client.get_paginator("describe_db_parameters")
    found = {}
    try:
        pages = retry_decorator(lambda: list(paginator.paginate(DBParameterGroupName=group_name)))()
    except is_boto3_error_code("DBParameterGroupNotFound"):
        return None
    for page in pages:
        for parameter in page.get("Parameters", []):
            found[parameter["ParameterName"]] = parameter
    return found
