"""The wait loop of module_utils/rds.py with a fake clock."""

import pytest

from ansible_collections.django_aws.deploy.plugins.module_utils.rds import RdsWaitError
from ansible_collections.django_aws.deploy.plugins.module_utils.rds import wait_until_available


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_returns_after_states_change():
    states = iter(["creating", "backing-up", "available"])
    t = FakeTime()
    instance, waited = wait_until_available(lambda: {"DBInstanceStatus": next(states)}, 100, 10,
                                            t.sleep, t.clock)
    assert instance["DBInstanceStatus"] == "available"
    assert waited == 20


def test_disappearing_instance():
    with pytest.raises(RdsWaitError, match="disappeared"):
        wait_until_available(lambda: None, 100, 10, FakeTime().sleep, FakeTime().clock)


def test_timeout_does_not_oversleep():
    t = FakeTime()
    with pytest.raises(RdsWaitError, match="timed out after 30s"):
        wait_until_available(lambda: {"DBInstanceStatus": "modifying"}, 35, 10, t.sleep, t.clock)
    assert t.now == 30
