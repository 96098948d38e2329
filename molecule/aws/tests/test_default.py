"""The aws scenario: what provision.yml built in the emulator, checked with boto3; then the
secret stays out of -vvv output, bad input is refused before any AWS call, and teardown
removes everything (twice: the second run changes nothing)."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from conftest import playreport, recap_sum

REPO = Path(__file__).resolve().parents[3]
MOTO_DIR = Path(os.environ["DJANGO_AWS_MOTO_DIR"])
PORT = (MOTO_DIR / "port").read_text().strip()
ENDPOINT = f"http://127.0.0.1:{PORT}"
REGION = "eu-west-1"
STACK = "molecule"
STACK_FILTER = [{"Name": "tag:django_aws:stack", "Values": [STACK]}]
COMMON_VARS = {
    "django_aws_stack": STACK, "django_aws_region": REGION, "django_aws_endpoint_url": ENDPOINT,
    "ec2_host_count": 2, "ec2_host_public_key_file": str(MOTO_DIR / "id_ed25519.pub"),
    "ec2_host_state_dir": str(MOTO_DIR / "state"),
    "aws_network_ssh_cidrs": ["198.51.100.0/24"], "ec2_host_ami_owners": ["self"],
    "django_aws_domain": "www.molecule.test", "django_aws_domain_aliases": ["molecule.test"],
    "django_aws_route53_zone": "molecule.test",
    "ec2_host_ami_root_device_type": "any", "ec2_host_wait_for_ssh": False,
    "rds_postgres_parameters": {"log_min_duration_statement": "500"},
}
PARAMETER_GROUP = f"{STACK}-postgres17"
DB = f"{STACK}-db"


def client(service):
    return boto3.client(service, region_name=REGION, endpoint_url=ENDPOINT,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def playbook(name, extra=None, verbosity=0, json_report=False):
    """Run a playbook (a name in playbooks/, or a path) on localhost; (rc, changed, output), or
    with json_report (rc, changed, the json callback's report)."""
    cmd = ["ansible-playbook", "-i", "localhost,", "-c", "local", str(REPO / "playbooks" / name),
           "-e", json.dumps({**COMMON_VARS, "ansible_python_interpreter": sys.executable,
                             **(extra or {})})]
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"), "ANSIBLE_NOCOLOR": "1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    if json_report:
        env.update(ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_CALLBACKS_ENABLED="ansible.posix.json")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=900,
                          check=False)
    output = proc.stdout + proc.stderr
    if json_report:
        report = playreport.json_report(proc.stdout)
        changed = sum(host["changed"] for host in report["stats"].values())
        return proc.returncode, changed, report
    return proc.returncode, recap_sum(output, "changed"), output


def tags_of(tag_list):
    return {t["Key"]: t["Value"] for t in tag_list or []}


def wait_until_available():
    """The emulator keeps the instance `creating` for a while after converge (converge.yml)."""
    client("rds").get_waiter("db_instance_available").wait(DBInstanceIdentifier=DB,
                                                           WaiterConfig={"Delay": 2, "MaxAttempts": 150})


def test_idempotence_ran_while_the_database_was_creating():
    """molecule's idempotence run came just before: it re-ran provision.yml against an instance
    still `creating`, without an Endpoint (amazon.aws.rds_instance's modify path would crash on
    it), and changed nothing. First of the checks, so the instance is still creating."""
    (db,) = client("rds").describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"]
    assert db["DBInstanceStatus"] == "creating" and "Endpoint" not in db


@pytest.fixture(scope="module")
def ec2():
    return client("ec2")


@pytest.fixture(scope="module")
def vpc(ec2):
    vpcs = ec2.describe_vpcs(Filters=STACK_FILTER)["Vpcs"]
    assert len(vpcs) == 1
    return vpcs[0]


def test_subnets_in_two_zones(ec2, vpc):
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    tiers = {"public": [], "private": []}
    for subnet in subnets:
        tiers[tags_of(subnet["Tags"])["django_aws:tier"]].append(subnet)
    for tier, members in tiers.items():
        assert len(members) == 2, tier
        assert len({s["AvailabilityZone"] for s in members}) == 2, tier
    # Not the opted-in Local Zone the emulator lists first (as an account opted into one would).
    zone_types = {z["ZoneName"]: z["ZoneType"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    assert {zone_types[s["AvailabilityZone"]] for s in subnets} == {"availability-zone"}
    assert all(s["MapPublicIpOnLaunch"] for s in tiers["public"])
    assert not any(s["MapPublicIpOnLaunch"] for s in tiers["private"])


def groups(ec2, vpc):
    found = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["SecurityGroups"]
    return {g["GroupName"]: g for g in found}


def test_db_group_admits_postgres_only_from_web(ec2, vpc):
    by_name = groups(ec2, vpc)
    web, db = by_name[f"{STACK}-web"], by_name[f"{STACK}-db"]
    assert len(db["IpPermissions"]) == 1
    rule = db["IpPermissions"][0]
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 5432, 5432)
    assert [p["GroupId"] for p in rule["UserIdGroupPairs"]] == [web["GroupId"]]
    assert rule.get("IpRanges", []) == [] and rule.get("Ipv6Ranges", []) == []
    # No egress rule at all (AWS's default allow-all one removed): the database opens no connection.
    assert db["IpPermissionsEgress"] == []


def test_web_group_http_from_anywhere_ssh_from_listed_range(ec2, vpc):
    web = groups(ec2, vpc)[f"{STACK}-web"]
    sources = {(r["FromPort"], tuple(sorted(i["CidrIp"] for i in r["IpRanges"])))
               for r in web["IpPermissions"]}
    assert (80, ("0.0.0.0/0",)) in sources and (443, ("0.0.0.0/0",)) in sources
    assert (22, ("198.51.100.0/24",)) in sources
    assert len(sources) == 3


def test_default_group_has_no_rules(ec2, vpc):
    default = groups(ec2, vpc)["default"]
    assert default["IpPermissions"] == [] and default["IpPermissionsEgress"] == []


def test_rds_private_encrypted_protected():
    (db,) = client("rds").describe_db_instances(DBInstanceIdentifier=f"{STACK}-db")["DBInstances"]
    assert db["PubliclyAccessible"] is False
    assert db["StorageEncrypted"] is True
    assert db["DeletionProtection"] is True
    assert db["BackupRetentionPeriod"] == 7
    assert (db["StorageType"], db["Iops"], db["StorageThroughput"]) == ("gp3", 3000, 125)
    assert db["CopyTagsToSnapshot"] is True
    assert db["DBInstanceClass"] == "db.t4g.micro"
    assert db["DBSubnetGroup"]["DBSubnetGroupName"] == f"{STACK}-db"
    assert tags_of(db["TagList"])["django_aws:stack"] == STACK
    assert sorted(db["EnabledCloudwatchLogsExports"]) == ["postgresql", "upgrade"]


def test_instances_imdsv2_encrypted_root_eip(ec2, vpc):
    reservations = ec2.describe_instances(Filters=STACK_FILTER + [
        {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    assert sorted(tags_of(i["Tags"])["Name"] for i in instances) == [f"{STACK}-web-1", f"{STACK}-web-2"]
    assert len({i["SubnetId"] for i in instances}) == 2, "spread over both public subnets"
    web = groups(ec2, vpc)[f"{STACK}-web"]["GroupId"]
    addresses = ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"]
    for instance in instances:
        assert instance["MetadataOptions"]["HttpTokens"] == "required"
        assert [g["GroupId"] for g in instance["SecurityGroups"]] == [web]
        volume_ids = [m["Ebs"]["VolumeId"] for m in instance["BlockDeviceMappings"]]
        volumes = ec2.describe_volumes(VolumeIds=volume_ids)["Volumes"]
        root = [v for v in volumes
                if v["Attachments"][0]["Device"] == instance["RootDeviceName"]]
        assert root and root[0]["Encrypted"] and root[0]["VolumeType"] == "gp3"
        assert [a["InstanceId"] for a in addresses].count(instance["InstanceId"]) == 1


def test_parameter_group_created_tagged_and_used():
    rds = client("rds")
    (db,) = rds.describe_db_instances(DBInstanceIdentifier=f"{STACK}-db")["DBInstances"]
    assert [g["DBParameterGroupName"] for g in db["DBParameterGroups"]] == [PARAMETER_GROUP]
    (group,) = rds.describe_db_parameter_groups(DBParameterGroupName=PARAMETER_GROUP)["DBParameterGroups"]
    assert group["DBParameterGroupFamily"] == "postgres17"
    values = {p["ParameterName"]: p.get("ParameterValue")
              for p in rds.describe_db_parameters(DBParameterGroupName=PARAMETER_GROUP)["Parameters"]}
    assert values.get("log_min_duration_statement") == "500"
    # TLS forced, whatever the engine version's default (rds_postgres_force_ssl).
    assert values.get("rds.force_ssl") == "1"
    tags = tags_of(rds.list_tags_for_resource(ResourceName=group["DBParameterGroupArn"])["TagList"])
    assert tags.get("django_aws:stack") == STACK and tags.get("Name") == PARAMETER_GROUP


def force_ssl_value():
    rds = client("rds")
    return {p["ParameterName"]: p.get("ParameterValue")
            for page in rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName=PARAMETER_GROUP)
            for p in page["Parameters"]}.get("rds.force_ssl")


def test_force_ssl_follows_its_variable():
    """The engine's default is on (PostgreSQL 15+); the role's value is what the group holds."""
    rc, changed, out = playbook("provision.yml", {"rds_postgres_force_ssl": False})
    assert rc == 0, out[-3000:]
    assert force_ssl_value() == "0"
    rc, changed, out = playbook("provision.yml")
    assert rc == 0, out[-3000:]
    assert force_ssl_value() == "1"


def test_force_ssl_is_set_with_its_own_variable():
    rc, changed, report = playbook("provision.yml", {"rds_postgres_parameters": {"rds.force_ssl": "0"}}, json_report=True)
    assert rc != 0 and changed == 0
    messages = playreport.failure_messages(report)
    assert len(messages) == 1, messages
    playreport.assert_about(messages[0], "rds_postgres_parameters", "set rds_postgres_force_ssl")


def test_misspelt_parameter_is_refused():
    rc, changed, report = playbook("provision.yml", {"rds_postgres_parameters": {"log_min_duraton_statement": "500"}},
                                   json_report=True)
    assert rc != 0 and changed == 0
    messages = playreport.failure_messages(report)
    assert len(messages) == 1, messages
    playreport.assert_about(messages[0], "rds_postgres_parameters", "log_min_duraton_statement is not an available")


@pytest.mark.parametrize("name", ["master-password", "app-password"])
def test_database_passwords_are_secure_strings(name):
    parameter = client("ssm").get_parameter(Name=f"/{STACK}/rds/{name}")["Parameter"]
    assert parameter["Type"] == "SecureString"
    assert len(parameter["Value"]) == 32 or parameter["Value"].startswith("kms:")


def test_every_resource_tagged(ec2, vpc):
    vpc_filter = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    tagged = {
        "vpc": [vpc],
        "subnets": ec2.describe_subnets(Filters=vpc_filter)["Subnets"],
        "route tables": [t for t in ec2.describe_route_tables(Filters=vpc_filter)["RouteTables"]
                         if not any(a.get("Main") for a in t.get("Associations", []))],
        "internet gateway": ec2.describe_internet_gateways(
            Filters=[{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}])["InternetGateways"],
        "security groups": ec2.describe_security_groups(Filters=vpc_filter)["SecurityGroups"],
        "elastic ips": ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"],
        "key pair": ec2.describe_key_pairs(KeyNames=[f"{STACK}-deploy"])["KeyPairs"],
    }
    for kind, resources in tagged.items():
        assert resources, kind
        for resource in resources:
            tags = tags_of(resource.get("Tags"))
            assert tags.get("django_aws:stack") == STACK, (kind, tags)
            assert tags.get("Name"), (kind, tags)
    rds = client("rds")
    group = rds.describe_db_subnet_groups(DBSubnetGroupName=f"{STACK}-db")["DBSubnetGroups"][0]
    assert tags_of(rds.list_tags_for_resource(ResourceName=group["DBSubnetGroupArn"])["TagList"]
                   ).get("django_aws:stack") == STACK
    for name in ("master-password", "app-password"):
        ssm_tags = client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId=f"/{STACK}/rds/{name}")
        assert tags_of(ssm_tags["TagList"]).get("django_aws:stack") == STACK, name


def test_password_never_in_verbose_output():
    passwords = [client("ssm").get_parameter(Name=f"/{STACK}/rds/{name}", WithDecryption=True)["Parameter"]["Value"]
                 for name in ("master-password", "app-password")]
    rc, changed, output = playbook("provision.yml", verbosity=3)
    assert rc == 0, output[-3000:]
    assert changed == 0, "a re-run changes nothing"
    assert all(password not in output for password in passwords)


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("extra, variable, words", [
    ({"aws_network_vpc_cidr": "10.0.0.1/16"}, "aws_network_vpc_cidr", "must be an IPv4 network block"),
    ({"aws_network_public_subnet_cidrs": ["10.99.0.0/24", "10.99.1.0/24"]}, "aws_network_public_subnet_cidrs",
     "must lie inside aws_network_vpc_cidr"),
    ({"django_aws_stack": "Bad_Stack"}, "django_aws_stack", "must be 2-32 lower-case"),
    ({"django_aws_region": ""}, "django_aws_region", "is missing"),
    ({"ec2_host_public_key_file": "/nonexistent/key.pub"}, "ec2_host_public_key_file", "is not a file"),
    ({"ec2_host_count": 0}, "ec2_host_count", "must be 1 to 20"),
    ({"rds_postgres_engine_version": "seventeen"}, "rds_postgres_engine_version", "must look like"),
])
def test_bad_input_refused_before_any_aws_call(extra, variable, words):
    rc, changed, report = playbook("provision.yml", extra, json_report=True)
    assert rc != 0 and changed == 0
    messages = playreport.failure_messages(report)
    assert len(messages) == 1, messages
    playreport.assert_about(messages[0], variable, words)
    # No AWS call ran: the first is "Ask AWS who we are", then the preflight, then the roles.
    ran = [task["task"]["name"] for play in report["plays"] for task in play["tasks"]]
    assert ran and not any(name.startswith("Ask AWS") or "availability zones" in name for name in ran), ran


def test_storage_grown_by_autoscaling_is_kept():
    """RDS storage autoscaling grew the disk: a re-run keeps the bigger size (AWS refuses a shrink)."""
    wait_until_available()
    rds = client("rds")
    rds.modify_db_instance(DBInstanceIdentifier=DB, AllocatedStorage=25, ApplyImmediately=True)
    rc, changed, out = playbook("provision.yml")
    assert rc == 0, out[-3000:]
    assert changed == 0
    assert rds.describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]["AllocatedStorage"] == 25


def apply_status():
    (db,) = client("rds").describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"]
    return db["DBParameterGroups"][0]["ParameterApplyStatus"]


def parameter_values():
    return {p["ParameterName"]: p.get("ParameterValue")
            for page in client("rds").get_paginator("describe_db_parameters").paginate(DBParameterGroupName=PARAMETER_GROUP)
            for p in page["Parameters"]}


def test_dynamic_setting_applies_at_once_static_waits_for_a_reboot():
    """A dynamic setting is sent `immediate` (the instance stays in sync); a static one is sent for
    the next reboot (AWS refuses `immediate` for it) and the run says, in one line, how to reboot."""
    wait_until_available()
    rc, changed, out = playbook("provision.yml", {"rds_postgres_parameters": {"log_min_duration_statement": "700"}})
    assert rc == 0, out[-3000:]
    assert changed == 1 and parameter_values()["log_min_duration_statement"] == "700"
    assert apply_status() == "in-sync"
    assert "reboot-db-instance" not in out

    both = {"log_min_duration_statement": "500", "max_connections": "150"}
    rc, changed, out = playbook("provision.yml", {"rds_postgres_parameters": both})
    assert rc == 0, out[-3000:]
    assert parameter_values()["max_connections"] == "150"
    assert apply_status() == "pending-reboot"
    assert (f"rds_postgres_parameters: max_connections take effect only when RDS instance {DB} reboots" in out
            and f"aws rds reboot-db-instance --db-instance-identifier {DB}" in out), out[-3000:]
    client("rds").reboot_db_instance(DBInstanceIdentifier=DB)
    assert apply_status() == "in-sync"


def test_release_snapshots_tagged_and_only_the_newest_kept():
    """Three releases' snapshots with two kept: the oldest is removed; each is tagged with the stack
    and its release (the final snapshot of teardown is not one of them: the next test)."""
    wait_until_available()
    for release in ("rel1", "rel2", "rel3"):
        rc, changed, output = playbook(REPO / "molecule" / "aws" / "release_snapshot.yml",
                                       {"rds_postgres_snapshot_release": release, "rds_postgres_release_snapshots_kept": 2})
        assert rc == 0, output[-3000:]
        assert changed >= 1
    snapshots = client("rds").describe_db_snapshots(DBInstanceIdentifier=f"{STACK}-db", SnapshotType="manual")["DBSnapshots"]
    tags = sorted((tags_of(s["TagList"]).get("django_aws:release"), tags_of(s["TagList"]).get("django_aws:stack"),
                   s["DBSnapshotIdentifier"].startswith(f"{STACK}-db-release-")) for s in snapshots)
    assert tags == [("rel2", STACK, True), ("rel3", STACK, True)]


def inventory(*args):
    """ansible-inventory on inventories/aws/aws_ec2.yml, the stack and region from the environment."""
    env = {**os.environ, "AWS_ENDPOINT_URL": ENDPOINT, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "DJANGO_AWS_STACK": STACK, "DJANGO_AWS_REGION": REGION,
           "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"), "ANSIBLE_CONFIG": str(REPO / "ansible.cfg")}
    proc = subprocess.run(["ansible-inventory", "-i", str(REPO / "inventories" / "aws" / "aws_ec2.yml"), *args],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_dynamic_inventory_finds_the_stack_with_its_addresses(ec2):
    """inventories/aws/aws_ec2.yml (day-2 runs of configure.yml): the stack and region from the
    environment, each host with the Elastic IP that django_app_allowed_hosts is built from."""
    hosts = inventory("--list")["django_web"]["hosts"]
    assert sorted(hosts) == [f"{STACK}-web-1", f"{STACK}-web-2"]
    addresses = {a["InstanceId"]: a["PublicIp"] for a in ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"]}
    for host in hosts:
        hostvars = inventory("--host", host)
        assert hostvars["ec2_public_ip"] == addresses[hostvars["ec2_instance_id"]]
        assert hostvars["ansible_host"] == hostvars["ec2_public_ip"]


def test_a_tagged_instance_the_stack_did_not_launch_is_refused(ec2):
    """Whoever may tag an instance does not get it the stack's secrets: an instance tagged as a
    web host of the stack but launched without its key pair is refused by the runs that find the
    hosts by their tags (connect.yml: site.yml --tags, rollback.yml, maintenance.yml) and left out
    of the dynamic inventory."""
    rc, _changed, report = playbook("connect.yml", json_report=True)
    assert rc == 0, playreport.failure_messages(report)
    ours = ec2.describe_instances(Filters=STACK_FILTER + [{"Name": "instance-state-name", "Values": ["running"]}])
    (first, *_rest) = [i for r in ours["Reservations"] for i in r["Instances"]]
    tags = [{"Key": "django_aws:stack", "Value": STACK}, {"Key": "django_aws:role", "Value": "web"},
            {"Key": "Name", "Value": f"{STACK}-web-2"}]
    stranger = ec2.run_instances(ImageId=first["ImageId"], MinCount=1, MaxCount=1, InstanceType=first["InstanceType"],
                                 SubnetId=first["SubnetId"],
                                 TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])["Instances"][0]["InstanceId"]
    try:
        # Named as one of the stack's hosts: provision.yml (which would start and adopt a stopped
        # one by its Name) refuses it too.
        for name in ("connect.yml", "provision.yml"):
            rc, _changed, report = playbook(name, json_report=True)
            messages = playreport.failure_messages(report)
            assert rc != 0 and len(messages) == 1, (name, messages)
            assert f"ec2_host: {stranger} tagged as web host of stack {STACK} but not launched with its key pair" \
                in messages[0], (name, messages)
        assert sorted(inventory("--list")["django_web"]["hosts"]) == [f"{STACK}-web-1", f"{STACK}-web-2"]
        assert {inventory("--host", h)["ec2_instance_id"] for h in (f"{STACK}-web-1", f"{STACK}-web-2")} \
            == {i["InstanceId"] for r in ours["Reservations"] for i in r["Instances"]}, "ours, not the stranger"
    finally:
        ec2.delete_tags(Resources=[stranger], Tags=[{"Key": t["Key"]} for t in tags])
        ec2.terminate_instances(InstanceIds=[stranger])


def test_hosts_are_the_recorded_instances_with_the_keys_they_were_handed(ec2):
    """Each host's instance id and SSH host key are recorded on the controller at launch; the key
    went to the instance in its user data (cloud-init's ssh_keys) and its private half is gone
    from the controller. An instance launched with the stack's key pair and tags, but not by the
    stack, has no record: connect refuses it. The dynamic inventory's SSH accepts only recorded keys."""
    records = MOTO_DIR / "state" / "host_keys"
    running = ec2.describe_instances(Filters=STACK_FILTER + [{"Name": "instance-state-name", "Values": ["running"]}])
    instances = [i for r in running["Reservations"] for i in r["Instances"]]
    known_hosts = (MOTO_DIR / "state" / "known_hosts").read_text()
    for instance in instances:
        name = tags_of(instance["Tags"])["Name"]
        assert (records / f"{name}.instance_id").read_text().strip() == instance["InstanceId"]
        public = " ".join((records / f"{name}.pub").read_text().split()[:2])
        assert public.startswith("ssh-ed25519 ") and not (records / name).exists()
        user_data = ec2.describe_instance_attribute(InstanceId=instance["InstanceId"], Attribute="userData")
        cloud_config = base64.b64decode(user_data["UserData"]["Value"]).decode()
        assert "ed25519_private: |" in cloud_config and f"ed25519_public: {public}" in cloud_config
        addresses = ec2.describe_addresses(Filters=[{"Name": "instance-id", "Values": [instance["InstanceId"]]}])
        assert f"{addresses['Addresses'][0]['PublicIp']} {public}" in known_hosts
    first = instances[0]
    tags = [{"Key": "django_aws:stack", "Value": STACK}, {"Key": "django_aws:role", "Value": "web"},
            {"Key": "Name", "Value": f"{STACK}-web-3"}]
    stranger = ec2.run_instances(ImageId=first["ImageId"], MinCount=1, MaxCount=1, InstanceType=first["InstanceType"],
                                 SubnetId=first["SubnetId"], KeyName=first["KeyName"],
                                 TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])["Instances"][0]["InstanceId"]
    try:
        rc, _changed, report = playbook("connect.yml", json_report=True)
        messages = playreport.failure_messages(report)
        assert rc != 0 and len(messages) == 1, messages
        assert messages[0].startswith(f"ec2_host: {STACK}-web-3: no record in {records}"), messages
    finally:
        ec2.delete_tags(Resources=[stranger], Tags=[{"Key": t["Key"]} for t in tags])
        ec2.terminate_instances(InstanceIds=[stranger])
    # Day-2 runs from the dynamic inventory: the same file, strict (group_vars/django_web.yml).
    ssh_args = inventory("--host", f"{STACK}-web-1")["ansible_ssh_common_args"]
    assert ssh_args == "-o StrictHostKeyChecking=yes -o UserKnownHostsFile={{ ec2_host_known_hosts_file | quote }}", ssh_args


def test_an_allocated_but_unassociated_address_is_reused(ec2):
    """A run interrupted between allocating and associating left the address tagged but free:
    the next run associates that one (found by its Name), not a new one against the quota of 5."""
    (address,) = [a for a in ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"]
                  if tags_of(a["Tags"]).get("Name") == f"{STACK}-web-1-eip"]
    ec2.disassociate_address(AssociationId=address["AssociationId"])
    rc, changed, out = playbook("provision.yml")
    assert rc == 0, out[-3000:]
    after = ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"]
    assert len(after) == 2, after
    (again,) = [a for a in after if a["AllocationId"] == address["AllocationId"]]
    assert again.get("InstanceId") == address["InstanceId"]


def zone_id():
    zones = client("route53").list_hosted_zones_by_name(DNSName="molecule.test")["HostedZones"]
    return [z["Id"] for z in zones if z["Name"] == "molecule.test."][0]


def a_records():
    """{name: (ttl, sorted addresses)} of the zone's A records."""
    sets = client("route53").list_resource_record_sets(HostedZoneId=zone_id())["ResourceRecordSets"]
    return {r["Name"]: (r.get("TTL"), sorted(v["Value"] for v in r.get("ResourceRecords", []))) for r in sets if r["Type"] == "A"}


def set_a_record(name, addresses):
    client("route53").change_resource_record_sets(HostedZoneId=zone_id(), ChangeBatch={"Changes": [{
        "Action": "UPSERT", "ResourceRecordSet": {"Name": name, "Type": "A", "TTL": 60,
                                                  "ResourceRecords": [{"Value": a} for a in addresses]}}]})


def stack_addresses(ec2):
    return sorted(a["PublicIp"] for a in ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"])


def test_site_names_lead_to_the_hosts(ec2):
    """One A record per name of the site, with both hosts' Elastic IPs."""
    addresses = stack_addresses(ec2)
    assert len(addresses) == 2
    assert a_records() == {"www.molecule.test.": (300, addresses), "molecule.test.": (300, addresses)}


def test_records_printed_without_a_zone_and_corrected_with_one(ec2):
    """Without django_aws_route53_zone the run names the records to create and leaves the zone
    alone; with it, a record changed behind the playbook's back is set right again."""
    addresses = stack_addresses(ec2)
    set_a_record("www.molecule.test", ["192.0.2.10"])
    rc, _changed, output = playbook("provision.yml", {"django_aws_route53_zone": ""})
    assert rc == 0, output[-3000:]
    lines = [f"{name}. 300 IN A {address}" for name in ("www.molecule.test", "molecule.test") for address in addresses]
    assert "; ".join(lines) in output, output[-3000:]
    assert a_records()["www.molecule.test."] == (60, ["192.0.2.10"])
    rc, _changed, output = playbook("provision.yml")
    assert rc == 0, output[-3000:]
    assert a_records()["www.molecule.test."] == (300, addresses)


def test_teardown_refuses_without_confirmation():
    rc, changed, output = playbook("teardown.yml")
    assert rc != 0 and changed == 0
    assert f"-e django_aws_teardown_confirm={STACK}" in output


def test_teardown_refuses_a_protected_database_unless_asked(ec2):
    rc, changed, output = playbook("teardown.yml", {"django_aws_teardown_confirm": STACK})
    assert rc != 0 and changed == 0
    assert "has deletion protection" in output
    assert ec2.describe_vpcs(Filters=STACK_FILTER)["Vpcs"], "nothing removed"


def log_groups():
    return [g["logGroupName"] for g in client("logs").describe_log_groups(logGroupNamePrefix="/aws/rds/")["logGroups"]]


def test_teardown_removes_everything_and_keeps_a_final_snapshot(ec2):
    """The Elastic IPs are disassociated before release (the emulator refuses, as AWS does, to
    release an associated one), the security groups and subnets wait out the gone interfaces
    (DependencyViolation meanwhile), the log groups go; the master password stays with the
    final snapshot until a teardown removes both."""
    assert sorted(log_groups()) == [f"/aws/rds/instance/{DB}/postgresql", f"/aws/rds/instance/{DB}/upgrade"]
    # DNS: a record of an earlier domain leading to a host goes too; one leading elsewhere (also
    # in part) is not the stack's and stays.
    addresses = stack_addresses(ec2)
    set_a_record("old.molecule.test", addresses[:1])
    set_a_record("mail.molecule.test", ["192.0.2.25"])
    set_a_record("shared.molecule.test", [addresses[0], "192.0.2.26"])
    rc, changed, output = playbook("teardown.yml", {"django_aws_teardown_confirm": STACK,
                                                    "django_aws_lift_deletion_protection": True})
    assert rc == 0, output[-3000:]
    assert changed > 0
    # The web group was still held by the just-terminated hosts' interfaces: retried, not failed.
    assert "FAILED - RETRYING: [localhost]: Delete the security groups" in output, output[-3000:]
    assert ec2.describe_vpcs(Filters=STACK_FILTER)["Vpcs"] == []
    assert ec2.describe_subnets(Filters=STACK_FILTER)["Subnets"] == []
    assert ec2.describe_security_groups(Filters=STACK_FILTER)["SecurityGroups"] == []
    assert ec2.describe_addresses(Filters=STACK_FILTER)["Addresses"] == []
    assert a_records() == {"mail.molecule.test.": (60, ["192.0.2.25"]),
                           "shared.molecule.test.": (60, sorted([addresses[0], "192.0.2.26"]))}
    assert ec2.describe_internet_gateways(Filters=STACK_FILTER)["InternetGateways"] == []
    states = {i["State"]["Name"] for r in ec2.describe_instances(Filters=STACK_FILTER)["Reservations"]
              for i in r["Instances"]}
    assert states <= {"terminated"}
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    rds = client("rds")
    assert rds.describe_db_instances()["DBInstances"] == []
    assert rds.describe_db_subnet_groups()["DBSubnetGroups"] == []
    assert PARAMETER_GROUP not in [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]]
    assert log_groups() == []
    snapshots = rds.describe_db_snapshots()["DBSnapshots"]
    assert len(snapshots) == 1 and snapshots[0]["DBSnapshotIdentifier"].startswith(f"{STACK}-db-final-")
    assert tags_of(snapshots[0]["TagList"]).get("django_aws:stack") == STACK
    ssm = client("ssm")
    assert sorted(p["Name"] for p in ssm.describe_parameters()["Parameters"]) == \
        [f"/{STACK}/rds/app-password", f"/{STACK}/rds/master-password"], "kept for the final snapshot"
    assert "django_aws_remove_final_snapshots=true" in output

    again_rc, again_changed, again = playbook("teardown.yml", {"django_aws_teardown_confirm": STACK})
    assert again_rc == 0, again[-3000:]
    assert again_changed == 0

    last_rc, last_changed, last = playbook("teardown.yml", {"django_aws_teardown_confirm": STACK,
                                                            "django_aws_remove_final_snapshots": True})
    assert last_rc == 0, last[-3000:]
    assert last_changed == 2, "the final snapshot and the passwords (one loop task)"
    assert rds.describe_db_snapshots()["DBSnapshots"] == []
    assert ssm.describe_parameters()["Parameters"] == []
