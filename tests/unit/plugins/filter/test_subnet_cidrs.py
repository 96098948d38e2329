"""subnet_cidrs filter and the ipv4_cidr / cidr_within tests."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.django_aws.deploy.plugins.filter.subnet_cidrs import subnet_cidrs
from ansible_collections.django_aws.deploy.plugins.test.cidr_within import cidr_within
from ansible_collections.django_aws.deploy.plugins.test.ipv4_cidr import ipv4_cidr


def test_consecutive_subnets():
    assert subnet_cidrs("10.20.0.0/16", 24, count=2) == ["10.20.0.0/24", "10.20.1.0/24"]
    assert subnet_cidrs("10.20.0.0/16", 24, count=2, offset=10) == ["10.20.10.0/24", "10.20.11.0/24"]
    assert subnet_cidrs("172.31.0.0/20", 22, 4) == [
        "172.31.0.0/22", "172.31.4.0/22", "172.31.8.0/22", "172.31.12.0/22"]


@pytest.mark.parametrize("args, message", [
    (("10.20.0.1/16", 24), "not an IPv4 CIDR block"),
    (("nonsense", 24), "not an IPv4 CIDR block"),
    (("10.20.0.0/24", 24), "must be longer"),
    (("10.20.0.0/24", 26, 5), "do not fit"),
])
def test_bad_input(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        subnet_cidrs(*args)


def test_ipv4_cidr():
    assert ipv4_cidr("10.0.0.0/16")
    assert not ipv4_cidr("10.0.0.1/16")
    assert not ipv4_cidr("10.0.0.0")
    assert not ipv4_cidr("300.0.0.0/8")
    assert not ipv4_cidr(None)


def test_cidr_within():
    assert cidr_within("10.20.3.0/24", "10.20.0.0/16")
    assert not cidr_within("10.21.0.0/24", "10.20.0.0/16")
    assert not cidr_within("10.20.0.0/8", "10.20.0.0/16")
    assert not cidr_within("bad", "10.20.0.0/16")
