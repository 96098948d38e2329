"""AWS's answers that the rehearsal's launcher (roles/rehearsal/files/moto_server.py) gives where
plain moto says yes. Each test fails against plain moto: MOTO_SERVER_UNDER_TEST=plain runs them
against `python -m moto.server` to see it."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

from .test_moto_start import free_port

SERVER = Path(__file__).resolve().parents[3] / "roles" / "rehearsal" / "files" / "moto_server.py"
REGION = "eu-west-1"
CREATING = 3  # seconds an RDS instance stays `creating` in these tests
LINGER = 2    # seconds a gone network interface holds its security groups and subnet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    port = free_port()
    command = ([sys.executable, "-m", "moto.server"] if os.environ.get("MOTO_SERVER_UNDER_TEST") == "plain"
               else [sys.executable, str(SERVER)])
    env = dict(os.environ, REHEARSAL_RDS_CREATING_SECONDS=str(CREATING), REHEARSAL_LINGER_SECONDS=str(LINGER))
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    server = subprocess.Popen(command + ["-H", "127.0.0.1", "-p", str(port)], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(150):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def client(endpoint):
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")).close()

    def make(service):
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    return make


def error_code(call, *args, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        call(*args, **kwargs)
    return refused.value.response["Error"]["Code"]


def network(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(VpcId=vpc, GroupName="web", Description="web")["GroupId"]
    return vpc, subnet, group


def launch(ec2, subnet, group):
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.small", SubnetId=subnet,
                             SecurityGroupIds=[group])["Instances"][0]["InstanceId"]


def create_db(rds, name="db", size=20):
    rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", EngineVersion="17", DBInstanceClass="db.t4g.micro",
                           AllocatedStorage=size, StorageType="gp3", MasterUsername="admin1", MasterUserPassword="x" * 20,
                           EnableCloudwatchLogsExports=["postgresql", "upgrade"])


def test_associated_elastic_ip_is_not_released(client):
    ec2 = client("ec2")
    _vpc, subnet, group = network(ec2)
    instance = launch(ec2, subnet, group)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    association = ec2.associate_address(AllocationId=allocation, InstanceId=instance)["AssociationId"]
    assert error_code(ec2.release_address, AllocationId=allocation) == "InvalidIPAddress.InUse"
    ec2.disassociate_address(AssociationId=association)
    ec2.release_address(AllocationId=allocation)
    assert ec2.describe_addresses()["Addresses"] == []


def test_elastic_ips_stop_at_the_default_quota(client):
    ec2 = client("ec2")
    for _address in range(5):
        ec2.allocate_address(Domain="vpc")
    assert error_code(ec2.allocate_address, Domain="vpc") == "AddressLimitExceeded"


def test_elastic_ip_tags_found_by_their_aws_resource_type(client):
    ec2 = client("ec2")
    allocation = ec2.allocate_address(Domain="vpc", TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "web-1-eip"}]}])["AllocationId"]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [allocation]},
                                      {"Name": "resource-type", "Values": ["elastic-ip"]}])["Tags"]
    assert [(t["Key"], t["Value"], t["ResourceType"]) for t in tags] == [("Name", "web-1-eip", "elastic-ip")]


def test_rds_instance_is_creating_without_endpoint_then_available(client):
    rds = client("rds")
    create_db(rds)
    (db,) = rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"]
    assert db["DBInstanceStatus"] == "creating" and "Endpoint" not in db
    assert error_code(rds.modify_db_instance, DBInstanceIdentifier="db", AllocatedStorage=30,
                      ApplyImmediately=True) == "InvalidDBInstanceState"
    assert error_code(rds.create_db_snapshot, DBInstanceIdentifier="db", DBSnapshotIdentifier="s1") == "InvalidDBInstanceState"
    time.sleep(CREATING + 0.5)
    (db,) = rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"]
    assert db["DBInstanceStatus"] == "available" and db["Endpoint"]["Port"] == 5432


def test_rds_storage_never_shrinks(client):
    rds = client("rds")
    create_db(rds, size=20)
    time.sleep(CREATING + 0.5)
    rds.modify_db_instance(DBInstanceIdentifier="db", AllocatedStorage=25, ApplyImmediately=True)  # as autoscaling
    assert error_code(rds.modify_db_instance, DBInstanceIdentifier="db", AllocatedStorage=20,
                      ApplyImmediately=True) == "InvalidParameterCombination"
    assert rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]["AllocatedStorage"] == 25


def test_rds_log_exports_create_log_groups(client):
    create_db(client("rds"))
    names = [g["logGroupName"] for g in client("logs").describe_log_groups(logGroupNamePrefix="/aws/rds/")["logGroups"]]
    assert sorted(names) == ["/aws/rds/instance/db/postgresql", "/aws/rds/instance/db/upgrade"]


def test_security_group_and_subnet_held_by_interfaces(client):
    ec2 = client("ec2")
    _vpc, subnet, group = network(ec2)
    instance = launch(ec2, subnet, group)
    assert error_code(ec2.delete_security_group, GroupId=group) == "DependencyViolation"
    assert error_code(ec2.delete_subnet, SubnetId=subnet) == "DependencyViolation"
    ec2.terminate_instances(InstanceIds=[instance])
    # The terminated instance's interface lingers for a while, as on AWS.
    assert error_code(ec2.delete_security_group, GroupId=group) == "DependencyViolation"
    time.sleep(LINGER + 0.5)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnet)


def test_local_zone_listed_among_available_zones(client):
    zones = client("ec2").describe_availability_zones(Filters=[{"Name": "state", "Values": ["available"]}])["AvailabilityZones"]
    local = [z["ZoneName"] for z in zones if z["ZoneType"] == "local-zone"]
    assert local and sorted(z["ZoneName"] for z in zones)[0] in local
    plain = client("ec2").describe_availability_zones(Filters=[{"Name": "zone-type", "Values": ["availability-zone"]}])
    assert not set(local) & {z["ZoneName"] for z in plain["AvailabilityZones"]}


def test_parameter_changes_apply_as_on_aws(client):
    """immediate is refused for a static parameter; pending-reboot leaves the instance pending
    until it reboots; an immediate dynamic change leaves it in sync."""
    rds = client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres17", Description="x")
    rds.create_db_instance(DBInstanceIdentifier="db", Engine="postgres", EngineVersion="17", DBInstanceClass="db.t4g.micro",
                           AllocatedStorage=20, StorageType="gp3", MasterUsername="admin1", MasterUserPassword="x" * 20,
                           DBParameterGroupName="pg")

    def apply_status():
        return rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]["DBParameterGroups"][0]["ParameterApplyStatus"]

    def change(name, value, method):
        rds.modify_db_parameter_group(DBParameterGroupName="pg", Parameters=[
            {"ParameterName": name, "ParameterValue": value, "ApplyMethod": method}])

    assert error_code(change, "max_connections", "150", "immediate") == "InvalidParameterCombination"
    change("log_min_duration_statement", "700", "immediate")
    assert apply_status() == "in-sync"
    change("max_connections", "150", "pending-reboot")
    assert apply_status() == "pending-reboot"
    time.sleep(CREATING + 0.5)
    rds.reboot_db_instance(DBInstanceIdentifier="db")
    assert apply_status() == "in-sync"
