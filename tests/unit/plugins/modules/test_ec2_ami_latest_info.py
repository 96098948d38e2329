"""ec2_ami_latest_info against moto: the newest match, filters, no match."""

from datetime import datetime, timezone

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.models import ec2_backends

from ansible_collections.django_aws.deploy.plugins.modules.ec2_ami_latest_info import main


def register(session, name, created):
    ec2 = session.client("ec2")
    base = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]
    image_id = ec2.create_image(InstanceId=instance["InstanceId"], Name=name)["ImageId"]
    # moto reports created images with root device type "standard"; AWS says "ebs".
    ami = ec2_backends[DEFAULT_ACCOUNT_ID][session.region_name].amis[image_id]
    ami.root_device_type = "ebs"
    # moto stamps "now"; the module must sort by this date, not by name.
    ami.creation_date = datetime.strptime(created, "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=timezone.utc)
    return image_id


@pytest.fixture
def images(aws):
    """Three Debian 13 images and one Debian 12 image in the account (moto's own owner id)."""
    ids = {name: register(aws, name, created) for name, created in (
        ("debian-13-amd64-20260101-0001", "2026-01-01T10:00:00.000Z"),
        ("debian-13-amd64-20260301-0003", "2026-03-01T10:00:00.000Z"),
        ("debian-13-amd64-20260201-0002", "2026-02-01T10:00:00.000Z"),
        ("debian-13-amd64-rebuild", "2025-12-31T10:00:00.000Z"),
        ("debian-12-amd64-20260401-0004", "2026-04-01T10:00:00.000Z"))}
    owner = aws.client("ec2").describe_images(ImageIds=[next(iter(ids.values()))])["Images"][0]["OwnerId"]
    return ids, owner


def test_newest_matching_image(images, run_module, monkeypatch):
    ids, owner = images
    code, result = run_module(main, {"owners": [owner]})
    assert code == 0, result
    assert result["changed"] is False
    assert result["name"] == "debian-13-amd64-20260301-0003"
    assert result["image_id"] == ids["debian-13-amd64-20260301-0003"]
    assert result["creation_date"] == "2026-03-01T10:00:00.000Z"
    assert result["matches"] == 4
    assert result["owner_id"] == owner


def test_pattern_selects_another_release(images, run_module):
    ids, owner = images
    code, result = run_module(main, {"owners": [owner], "name": "debian-12-*"})
    assert code == 0
    assert result["image_id"] == ids["debian-12-amd64-20260401-0004"]


def test_no_match_fails_clearly(images, run_module):
    owner = images[1]
    code, result = run_module(main, {"owners": [owner], "name": "debian-13-arm64-*",
                                     "architecture": "arm64"})
    assert code == 1
    assert result["msg"] == (f"No arm64 hvm ebs image named 'debian-13-arm64-*' owned by {owner}")


def test_other_owner_sees_nothing(images, run_module):
    code, result = run_module(main, {"owners": ["136693071363"]})
    assert code == 1
    assert "owned by 136693071363" in result["msg"]


def test_root_device_type_filter(images, run_module):
    owner = images[1]
    code, result = run_module(main, {"owners": [owner], "root_device_type": "instance-store"})
    assert code == 1
    assert "instance-store image" in result["msg"]
    code, result = run_module(main, {"owners": [owner], "root_device_type": "any"})
    assert code == 0
    assert result["name"] == "debian-13-amd64-20260301-0003"


def test_bad_architecture_rejected(aws, run_module):
    code, result = run_module(main, {"architecture": "sparc"})
    assert code == 1
    assert "architecture" in result["msg"]


def test_check_mode(images, run_module):
    owner = images[1]
    normal_code, normal = run_module(main, {"owners": [owner]})
    code, result = run_module(main, {"owners": [owner], "_ansible_check_mode": True})
    assert normal_code == code == 0, (normal, result)
    assert result["changed"] is False and normal["changed"] is False
    assert result["name"] == "debian-13-amd64-20260301-0003"
    assert result == normal, "check mode reads what a normal run reads"


def test_throttling_is_retried(images, run_module, aws_errors):
    called = aws_errors("DescribeImages", ["RequestLimitExceeded"])
    code, result = run_module(main, {"owners": [images[1]]})
    assert code == 0, result
    assert result["name"] == "debian-13-amd64-20260301-0003"
    assert called.count("DescribeImages") == 2, called


def test_access_denied_is_one_message(images, run_module, aws_errors):
    aws_errors("DescribeImages", ["UnauthorizedOperation"])
    code, result = run_module(main, {"owners": [images[1]]})
    assert code == 1
    assert result["msg"].startswith("Could not describe images") and "UnauthorizedOperation" in result["msg"]
    assert "\n" not in result["msg"]
