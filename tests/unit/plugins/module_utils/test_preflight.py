"""AWS's documented RDS storage rules and name shapes (no call needed)."""

import pytest

from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import DB_CLASS
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import INSTANCE_TYPE
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import known_regions
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import matching_versions
from ansible_collections.django_aws.deploy.plugins.module_utils.preflight import rds_storage_problems


def options(problems):
    return [option for option, _text in problems]


def test_gp3_baseline_below_400_gib_takes_no_iops_or_throughput():
    assert rds_storage_problems("gp3", 20, 0, 0) == []
    # What the role sent before: AWS refuses it ("You can't specify IOPS or storage throughput ...").
    assert options(rds_storage_problems("gp3", 20, 3000, 125)) == ["iops", "storage_throughput"]
    assert options(rds_storage_problems("gp3", 399, 0, 125)) == ["storage_throughput"]


def test_gp3_from_400_gib_takes_provisioned_values_in_range():
    assert rds_storage_problems("gp3", 400, 12000, 500) == []
    assert rds_storage_problems("gp3", 400, 0, 0) == []
    assert options(rds_storage_problems("gp3", 400, 3000, 0)) == ["iops"]
    assert options(rds_storage_problems("gp3", 400, 12000, 125)) == ["storage_throughput"]
    assert options(rds_storage_problems("gp3", 1000, 12000, 4000)) == ["storage_throughput"]  # > IOPS / 4


def test_storage_sizes_per_type():
    assert options(rds_storage_problems("gp3", 19, 0, 0)) == ["allocated_storage"]
    assert options(rds_storage_problems("gp3", 70000, 0, 0)) == ["allocated_storage"]
    assert options(rds_storage_problems("io1", 50, 1000, 0)) == ["allocated_storage"]
    assert options(rds_storage_problems("gp2", 20, 0, 125)) == ["storage_throughput"]


@pytest.mark.parametrize("name, valid", [
    ("db.t4g.micro", True), ("db.m7g.2xlarge", True), ("db.r6i.large", True), ("db.m5.metal", True),
    ("db.t4g.mirco", False), ("t4g.micro", False), ("db.t4g", False), ("db.t4g.micro ", False)])
def test_db_instance_class_names(name, valid):
    assert bool(DB_CLASS.match(name)) is valid


@pytest.mark.parametrize("name, valid", [
    ("t3.small", True), ("m7g.16xlarge", True), ("c6i.metal", True), ("u-6tb1.metal", True),
    ("t3.smal", False), ("t3", False), ("db.t3.small", False)])
def test_instance_type_names(name, valid):
    assert bool(INSTANCE_TYPE.match(name)) is valid


def test_known_regions_come_from_botocore():
    regions = known_regions()
    assert {"eu-west-1", "us-east-1", "ap-southeast-2"} <= regions
    assert "eu-westt-1" not in regions and "eu-west" not in regions


def test_a_major_version_names_its_minors_and_a_minor_only_itself():
    offered = [{"EngineVersion": v} for v in ("16.8", "17.2", "17.4", "17.10")]
    assert matching_versions(offered, "17") == ["17.2", "17.4", "17.10"]
    assert matching_versions(offered, "17.4") == ["17.4"]
    assert matching_versions(offered, "17.1") == []  # 17.10 written unquoted in YAML
    assert matching_versions(offered, "18") == []
