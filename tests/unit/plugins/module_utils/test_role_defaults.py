"""The roles' defaults pass the AWS rules the README lists (what a first real AWS run sends)."""

from pathlib import Path

import yaml

from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import DB_CLASS
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import INSTANCE_TYPE
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import known_regions
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import rds_storage_problems

ROOT = Path(__file__).resolve().parents[4]


def defaults(role):
    return yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text())


def test_rds_defaults_are_valid_on_aws():
    rds = defaults("rds_postgres")
    # A quoted major version: RDS picks the minor and upgrades it; nothing to downgrade later.
    assert isinstance(rds["rds_postgres_engine_version"], str) and rds["rds_postgres_engine_version"].isdigit()
    assert DB_CLASS.match(rds["rds_postgres_instance_class"])
    assert rds_storage_problems("gp3", rds["rds_postgres_allocated_storage"], rds["rds_postgres_iops"],
                                rds["rds_postgres_storage_throughput"]) == []


def test_ec2_defaults_are_valid_on_aws():
    ec2 = defaults("ec2_host")
    assert INSTANCE_TYPE.match(ec2["ec2_host_instance_type"])
    # t3 is an x86_64 family: the default architecture matches the default type.
    assert ec2["ec2_host_instance_type"].startswith("t3.") and ec2["ec2_host_architecture"] == "x86_64"


def test_the_aws_inventory_names_a_real_region_and_no_emulator_workaround():
    inventory = yaml.safe_load((ROOT / "inventories" / "aws" / "group_vars" / "all.yml").read_text())
    assert inventory["django_aws_region"] in known_regions()
    assert not {"rds_postgres_iops", "rds_postgres_storage_throughput"} & set(inventory)
