"""Run our modules in-process against moto's mock of AWS."""

import json

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from moto import mock_aws

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
