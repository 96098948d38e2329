"""The tagged filter, on resources shaped as amazon.aws 10's info modules return them."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.django_aws.deploy.plugins.filter.tagged import tagged

RELEASE = {"django_aws:stack": "demo", "django_aws:snapshot": "release"}


def snapshot(name, tag_list):
    """rds_snapshot_info's shape: an empty `tags` and the real tags in `tag_list`."""
    return {"db_snapshot_identifier": name, "tags": {}, "tag_list": [{"key": k, "value": v} for k, v in tag_list.items()]}


def test_reads_tag_list_when_tags_is_empty():
    ours = snapshot("demo-db-release-a", RELEASE)
    other_stack = snapshot("other-db-release-a", {**RELEASE, "django_aws:stack": "other"})
    final = snapshot("demo-db-final-1", {"django_aws:stack": "demo"})
    assert tagged([ours, other_stack, final], RELEASE) == [ours]


def test_reads_a_tags_dict():
    instance = {"db_instance_identifier": "demo-db", "tags": {"django_aws:stack": "demo", "Name": "demo-db"}}
    assert tagged([instance, {"tags": {"django_aws:stack": "demo2"}}], {"django_aws:stack": "demo"}) == [instance]


def test_reads_boto3_taglist_and_untagged_resources():
    raw = {"DBSnapshotIdentifier": "x", "TagList": [{"Key": "django_aws:stack", "Value": "demo"}]}
    assert tagged([raw, {"db_snapshot_identifier": "untagged"}], {"django_aws:stack": "demo"}) == [raw]


def test_a_value_must_match_exactly():
    assert tagged([snapshot("a", {"django_aws:stack": "demo-2"})], {"django_aws:stack": "demo"}) == []


@pytest.mark.parametrize("resources, tags", [("text", RELEASE), ([1], RELEASE), ([], {}), ([], "demo")])
def test_bad_arguments_are_refused(resources, tags):
    with pytest.raises(AnsibleFilterError):
        tagged(resources, tags)
