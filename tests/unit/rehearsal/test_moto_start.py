"""The rehearsal's emulator (roles/rehearsal/files/moto_start.py): a real moto server on a free
127.0.0.1 port whose state survives a stop (as a machine restart would stop it), and which
reports the gp3 baseline as AWS does."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

FILES = Path(__file__).resolve().parents[3] / "roles" / "rehearsal" / "files"
REGION = "eu-west-1"

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(state_dir, port):
    out = subprocess.run([sys.executable, str(FILES / "moto_start.py"), str(state_dir), str(port)],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return out.strip()


def stop(state_dir):
    pid = int((state_dir / "pid").read_text())
    os.kill(pid, signal.SIGTERM)
    for _attempt in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def clients(port):
    kw = {"region_name": REGION, "endpoint_url": f"http://127.0.0.1:{port}",
          "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client("ec2", **kw), boto3.client("rds", **kw), boto3.client("ssm", **kw)


def inventory(port):
    ec2, rds, ssm = clients(port)
    instances = sorted(i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"])
    vpcs = sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"])
    dbs = sorted(d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"])
    secret = ssm.get_parameter(Name="/t/secret", WithDecryption=True)["Parameter"]["Value"]
    return instances, vpcs, dbs, secret


@pytest.fixture
def state_dir(tmp_path):
    yield tmp_path
    if (tmp_path / "pid").exists():
        try:
            stop(tmp_path)
        except ProcessLookupError:
            pass


def test_state_and_ids_survive_a_restart(state_dir):
    port = free_port()
    assert "new state" in start(state_dir, port)
    assert start(state_dir, port).startswith("running on")  # a second start finds it running
    ec2, rds, ssm = clients(port)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.small", SubnetId=subnet)
    rds.create_db_instance(DBInstanceIdentifier="t-db", Engine="postgres", EngineVersion="17",
                           DBInstanceClass="db.t4g.micro", AllocatedStorage=20, StorageType="gp3",
                           MasterUsername="admin1", MasterUserPassword="x" * 20)
    ssm.put_parameter(Name="/t/secret", Value="s3cret-value", Type="SecureString")
    before = inventory(port)

    stop(state_dir)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    assert "state restored" in start(state_dir, port)
    assert inventory(port) == before
    # And it goes on recording: a resource made after the restart survives the next one.
    clients(port)[0].create_vpc(CidrBlock="10.8.0.0/16")
    after = inventory(port)
    stop(state_dir)
    start(state_dir, port)
    assert inventory(port) == after and len(after[1]) == len(before[1]) + 1


def test_gp3_instances_report_the_aws_baseline(state_dir):
    port = free_port()
    start(state_dir, port)
    rds = clients(port)[1]
    for name, size, iops, throughput in (("small", 20, 3000, 125), ("big", 400, 12000, 500)):
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t4g.micro",
                               AllocatedStorage=size, StorageType="gp3", MasterUsername="admin1",
                               MasterUserPassword="x" * 20)
        db = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
        assert (db["Iops"], db["StorageThroughput"]) == (iops, throughput)


def test_unknown_parameter_group_is_not_found_as_on_aws(state_dir):
    """AWS answers DBParameterGroupNotFound (amazon.aws.rds_instance_param_group relies on it);
    moto alone returns an empty list."""
    port = free_port()
    start(state_dir, port)
    rds = clients(port)[1]
    with pytest.raises(rds.exceptions.DBParameterGroupNotFoundFault):
        rds.describe_db_parameter_groups(DBParameterGroupName="nope-postgres17")
    rds.create_db_parameter_group(DBParameterGroupName="app-postgres17", DBParameterGroupFamily="postgres17",
                                  Description="x")
    assert [g["DBParameterGroupName"] for g in
            rds.describe_db_parameter_groups(DBParameterGroupName="app-postgres17")["DBParameterGroups"]] == ["app-postgres17"]
    assert "app-postgres17" in [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]]


def test_postgres_parameter_groups_list_engine_parameters(state_dir):
    """As on AWS: a new postgres group lists its engine's parameters (no value), a setting
    applies, and rds_instance_param_group's lookup finds log_min_duration_statement."""
    port = free_port()
    start(state_dir, port)
    rds = clients(port)[1]
    rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres17", Description="x")
    params = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]}
    assert len(params) > 200
    assert params["log_min_duration_statement"]["DataType"] == "integer"
    assert params["log_min_duration_statement"]["IsModifiable"] is True
    assert "ParameterValue" not in params["log_min_duration_statement"]
    rds.modify_db_parameter_group(DBParameterGroupName="pg", Parameters=[
        {"ParameterName": "log_min_duration_statement", "ParameterValue": "500", "ApplyMethod": "immediate"}])
    params = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]}
    assert params["log_min_duration_statement"]["ParameterValue"] == "500"


def test_postgres_parameter_groups_list_rds_force_ssl(state_dir):
    """RDS's own rds.force_ssl is listed as on AWS (on by default from PostgreSQL 15) and takes
    0 or 1: rds_postgres sets it in every stack's group."""
    port = free_port()
    start(state_dir, port)
    rds = clients(port)[1]
    rds.create_db_parameter_group(DBParameterGroupName="tls", DBParameterGroupFamily="postgres17", Description="x")
    params = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName="tls")["Parameters"]}
    assert params["rds.force_ssl"]["DataType"] == "boolean" and params["rds.force_ssl"]["ParameterValue"] == "1"
    rds.modify_db_parameter_group(DBParameterGroupName="tls", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate"}])
    params = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName="tls")["Parameters"]}
    assert params["rds.force_ssl"]["ParameterValue"] == "0"
