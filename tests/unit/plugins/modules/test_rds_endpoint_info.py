"""rds_endpoint_info against moto: found, not found, waiting, timeout, terminal states."""

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.rds.models import rds_backends

from ansible_collections.django_aws.deploy.plugins.module_utils import rds as rds_utils
from ansible_collections.django_aws.deploy.plugins.modules.rds_endpoint_info import main

from ..conftest import REGION


def create_db(session, identifier="stack-db", tags=None):
    session.client("rds").create_db_instance(
        DBInstanceIdentifier=identifier, Engine="postgres", EngineVersion="17.4",
        DBInstanceClass="db.t4g.micro", AllocatedStorage=20, MasterUsername="dbadmin",
        MasterUserPassword="not-a-real-password", DBName="app",
        Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()])


def set_status(identifier, status):
    rds_backends[DEFAULT_ACCOUNT_ID][REGION].databases[identifier].status = status


def test_found_by_identifier(aws, run_module):
    create_db(aws)
    code, result = run_module(main, {"db_instance_identifier": "stack-db"})
    assert code == 0
    assert result["changed"] is False
    assert result["address"] == f"stack-db.aaaaaaaaaa.{REGION}.rds.amazonaws.com"
    assert result["port"] == 5432
    assert result["status"] == "available"
    assert (result["engine"], result["engine_version"]) == ("postgres", "17.4")
    assert (result["master_username"], result["db_name"]) == ("dbadmin", "app")
    assert result["arn"].endswith(":db:stack-db")
    assert result["waited"] == 0


def test_found_by_tags(aws, run_module):
    create_db(aws, "other-db", {"django_aws:stack": "other"})
    create_db(aws, "stack-db", {"django_aws:stack": "stack", "Name": "stack-db"})
    code, result = run_module(main, {"tags": {"django_aws:stack": "stack"}})
    assert code == 0
    assert result["db_instance_identifier"] == "stack-db"


def test_not_found(aws, run_module):
    code, result = run_module(main, {"db_instance_identifier": "missing-db"})
    assert code == 1
    assert result["msg"] == "No RDS DB instance found with identifier 'missing-db'"


def test_several_match_tags(aws, run_module):
    create_db(aws, "a-db", {"team": "x"})
    create_db(aws, "b-db", {"team": "x"})
    code, result = run_module(main, {"tags": {"team": "x"}})
    assert code == 1
    assert "2 RDS DB instances match" in result["msg"]


def test_identifier_or_tags_required(aws, run_module):
    code, result = run_module(main, {})
    assert code == 1
    assert "db_instance_identifier" in result["msg"] and "tags" in result["msg"]


def test_waits_until_available(aws, run_module, monkeypatch):
    create_db(aws)
    set_status("stack-db", "creating")
    sleeps = []

    def fake_sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 3:
            set_status("stack-db", "available")

    monkeypatch.setattr(rds_utils.time, "sleep", fake_sleep)
    # A clock that moves only when the module sleeps: waited is exactly the time slept.
    monkeypatch.setattr(rds_utils.time, "monotonic", lambda: 1000.0 + sum(sleeps))
    code, result = run_module(main, {"db_instance_identifier": "stack-db", "wait": True,
                                     "wait_delay": 7})
    assert code == 0, result
    assert result["status"] == "available"
    assert sleeps == [7, 7, 7]
    assert result["waited"] == 21


def test_times_out(aws, run_module, monkeypatch):
    create_db(aws)
    set_status("stack-db", "creating")
    clock = iter(range(0, 10_000, 10))  # every look at the clock is 10 s later
    monkeypatch.setattr(rds_utils.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(rds_utils.time, "sleep", lambda seconds: None)
    code, result = run_module(main, {"db_instance_identifier": "stack-db", "wait": True,
                                     "wait_timeout": 60, "wait_delay": 5})
    assert code == 1
    assert "timed out after" in result["msg"]
    assert "last state 'creating'" in result["msg"]
    assert result["status"] == "creating"


@pytest.mark.parametrize("state", ["failed", "incompatible-parameters", "storage-full", "stopped"])
def test_terminal_state_fails_at_once(aws, run_module, monkeypatch, state):
    create_db(aws)
    set_status("stack-db", state)
    monkeypatch.setattr(rds_utils.time, "sleep", lambda seconds: pytest.fail("must not wait"))
    code, result = run_module(main, {"db_instance_identifier": "stack-db", "wait": True})
    assert code == 1
    assert f"in state '{state}'" in result["msg"]


def test_without_wait_reports_the_state_as_it_is(aws, run_module):
    create_db(aws)
    set_status("stack-db", "creating")
    code, result = run_module(main, {"db_instance_identifier": "stack-db"})
    assert code == 0
    assert result["status"] == "creating"


def test_check_mode_reads_the_same(aws, run_module):
    create_db(aws)
    normal_code, normal = run_module(main, {"db_instance_identifier": "stack-db"})
    code, result = run_module(main, {"db_instance_identifier": "stack-db", "_ansible_check_mode": True})
    assert normal_code == code == 0, (normal, result)
    assert result["changed"] is False and normal["changed"] is False
    assert result["status"] == "available" and result["address"]
    assert result == normal, "check mode reads what a normal run reads"


def test_access_denied_is_one_message(aws, run_module, aws_errors):
    create_db(aws)
    aws_errors("DescribeDBInstances", ["AccessDenied"])
    code, result = run_module(main, {"db_instance_identifier": "stack-db"})
    assert code == 1
    assert "AccessDenied" in result["msg"] and "\n" not in result["msg"], result["msg"]
    assert result["error"]["code"] == "AccessDenied"


def test_throttling_is_retried(aws, run_module, aws_errors):
    create_db(aws)
    called = aws_errors("DescribeDBInstances", ["Throttling", "Throttling"])
    code, result = run_module(main, {"db_instance_identifier": "stack-db"})
    assert code == 0, result
    assert result["status"] == "available"
    assert called.count("DescribeDBInstances") == 3, called


def test_expired_token_while_waiting_is_one_message(aws, run_module, aws_errors, monkeypatch):
    create_db(aws)
    set_status("stack-db", "creating")
    monkeypatch.setattr(rds_utils.time, "sleep", lambda seconds: None)
    # The first look (finding the instance) works; the token expires during the wait.
    aws_errors("DescribeDBInstances", [None, None, "ExpiredToken"])
    code, result = run_module(main, {"db_instance_identifier": "stack-db", "wait": True})
    assert code == 1
    assert "ExpiredToken" in result["msg"] and "\n" not in result["msg"], result["msg"]
