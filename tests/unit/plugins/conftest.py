"""Run our modules in-process against moto's mock of AWS."""

import json

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from moto import mock_aws

from ansible_collections.amazon.aws.plugins.module_utils import cloud as aws_cloud

REGION = "eu-west-1"


@pytest.fixture
def aws(monkeypatch):
    """moto's in-process AWS with fake credentials; yields a boto3 session."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_URL"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield boto3.session.Session(region_name=REGION)


@pytest.fixture
def run_module(capsys):
    """run_module(main, args) -> (exit code, result dict)."""

    def run(main, args):
        with patch_module_args({"region": REGION, **args}):
            with pytest.raises(SystemExit) as exited:
                main()
        return exited.value.code, json.loads(capsys.readouterr().out)

    return run


@pytest.fixture
def aws_errors(monkeypatch):
    """aws_errors(operation, codes): the next calls of `operation` (e.g. "DescribeDBInstances")
    fail with these AWS error codes, one per call (None lets that call through), then calls go
    through to moto. Returns the list of operations called, to count retries. Back-off sleeps
    are skipped."""
    script = {}
    called = []
    original = BaseClient._make_api_call

    def make_api_call(self, operation, params):
        called.append(operation)
        codes = script.get(operation)
        if codes:
            code = codes.pop(0)
            if code is not None:
                raise ClientError({"Error": {"Code": code, "Message": f"{code} (injected by the test)"},
                                   "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    monkeypatch.setattr(aws_cloud.time, "sleep", lambda seconds: None)

    def inject(operation, codes):
        script[operation] = list(codes)
        return called

    return inject
