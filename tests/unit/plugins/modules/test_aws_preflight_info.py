"""aws_preflight_info: AWS's answers (moto's in-process mock) turned into one problem per rule,
each naming the user's variable; RDS answers as AWS gives them (moto has none for PostgreSQL)."""

import pytest

from ansible_collections.django_aws.deploy.plugins.module_utils import preflight
from ansible_collections.django_aws.deploy.plugins.modules.aws_preflight_info import main

NAMES = {"instance_type": "ec2_host_instance_type", "architecture": "ec2_host_architecture",
         "availability_zones": "aws_network_availability_zones", "image_id": "ec2_host_ami_id",
         "db_instance_class": "rds_postgres_instance_class", "db_engine_version": "rds_postgres_engine_version",
         "db_iops": "rds_postgres_iops", "db_storage_throughput": "rds_postgres_storage_throughput",
         "region": "django_aws_region"}

# DescribeOrderableDBInstanceOptions as AWS answers it (abridged to the keys the module reads).
AWS_ORDERABLE = [{"Engine": "postgres", "EngineVersion": version, "DBInstanceClass": "db.t4g.micro",
                  "StorageType": storage, "MinStorageSize": 20, "MaxStorageSize": 6144}
                 for version in ("16.6", "17.2", "17.4", "17.5") for storage in ("gp2", "gp3", "io1")]


def run(run_module, **args):
    code, result = run_module(main, {"variables": NAMES, **args})
    assert code == 0, result
    assert result["changed"] is False
    return result


def test_valid_settings_have_no_problem(aws, run_module):
    result = run(run_module, instance_type="t3.small", architecture="x86_64",
                 availability_zones=["eu-west-1a", "eu-west-1b"])
    assert result["problems"] == []
    assert {"eu-west-1a", "eu-west-1b", "eu-west-1c"} <= set(result["availability_zones"])


@pytest.mark.parametrize("args, variable, words", [
    ({"instance_type": "t3.smal"}, "ec2_host_instance_type", "not an EC2 instance type name"),
    ({"instance_type": "t3.nano2xlarge"}, "ec2_host_instance_type", "not an EC2 instance type"),
    ({"instance_type": "t3.small", "architecture": "arm64"}, "ec2_host_architecture", "runs x86_64 only"),
    ({"instance_type": "t4g.small", "architecture": "x86_64"}, "ec2_host_architecture", "runs arm64 only"),
    ({"availability_zones": ["eu-west-1a", "us-east-1b"]}, "aws_network_availability_zones", "not an available zone of eu-west-1"),
    ({"image_id": "ami-0123456789abcdef0"}, "ec2_host_ami_id", "not an image this account can use"),
])
def test_one_problem_naming_the_variable(aws, run_module, args, variable, words):
    result = run(run_module, **args)
    assert len(result["problems"]) == 1, result["problems"]
    assert result["problems"][0].startswith(variable + " ") and words in result["problems"][0]


def test_unknown_region_is_refused(aws, run_module):
    code, result = run_module(main, {"variables": NAMES, "region": "eu-westt-1", "instance_type": "t3.small"})
    assert code == 0
    assert result["problems"] == ["django_aws_region 'eu-westt-1' is not an AWS region (botocore does not know it and "
                                  "the EC2 API does not answer there; check the spelling)"]


def test_pinned_image_returns_its_root_device(aws, run_module):
    image = aws.client("ec2").describe_images(Owners=["amazon"])["Images"][0]
    result = run(run_module, image_id=image["ImageId"], architecture=image["Architecture"])
    assert result["problems"] == []
    assert result["image"]["root_device_name"] == image["RootDeviceName"]


def test_rds_questions_are_unchecked_where_the_endpoint_has_no_answer(aws, run_module):
    # moto lists no orderable options for postgres: reported as unchecked, not as a problem.
    result = run(run_module, db_instance_class="db.t4g.micro", db_engine_version="17", db_allocated_storage=20)
    assert result["problems"] == []
    assert result["unchecked"] and "no orderable options for postgres" in result["unchecked"][0]


def answer_like_aws(monkeypatch):
    def orderable(client, engine, db_instance_class=None):
        return [o for o in AWS_ORDERABLE if db_instance_class in (None, o["DBInstanceClass"])]
    monkeypatch.setattr(preflight, "orderable_db_options", orderable)
    monkeypatch.setattr(preflight, "engine_orderable", lambda client, engine: engine == "postgres")


def test_rds_answers_from_aws(aws, run_module, monkeypatch):
    answer_like_aws(monkeypatch)
    result = run(run_module, db_instance_class="db.t4g.micro", db_engine_version="17", db_allocated_storage=20)
    assert result["problems"] == [] and result["unchecked"] == []
    assert result["db_engine_versions"] == ["17.2", "17.4", "17.5"]


@pytest.mark.parametrize("args, variable, words", [
    ({"db_instance_class": "db.t4g.mirco"}, "rds_postgres_instance_class", "not a DB instance class name"),
    ({"db_instance_class": "db.x9z.large"}, "rds_postgres_instance_class", "not offered for postgres"),
    ({"db_engine_version": "17.1"}, "rds_postgres_engine_version", "is not offered with db.t4g.micro"),
    ({"db_engine_version": "19"}, "rds_postgres_engine_version", "majors offered: 16, 17"),
    ({"db_iops": 3000}, "rds_postgres_iops", "must not be set below 400 GiB"),
    ({"db_storage_throughput": 125}, "rds_postgres_storage_throughput", "must not be set below 400 GiB"),
])
def test_rds_problems_name_the_variable(aws, run_module, monkeypatch, args, variable, words):
    answer_like_aws(monkeypatch)
    settings = {"db_instance_class": "db.t4g.micro", "db_engine_version": "17", "db_allocated_storage": 20, **args}
    result = run(run_module, **settings)
    assert len(result["problems"]) == 1, result["problems"]
    assert result["problems"][0].startswith(variable + " ") and words in result["problems"][0]


def test_aws_errors_end_in_one_message(aws, run_module, monkeypatch):
    from botocore.exceptions import ClientError

    def denied(client):
        raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "not allowed"}}, "DescribeAvailabilityZones")
    monkeypatch.setattr(preflight, "available_zones", denied)
    code, result = run_module(main, {"variables": NAMES})
    assert code == 1
    assert result["msg"].startswith("Could not ask AWS about the stack's settings")


def test_a_region_newer_than_botocore_that_answers_is_accepted(aws, run_module, monkeypatch):
    monkeypatch.setattr(preflight, "known_regions", lambda: {"us-east-1"})
    result = run(run_module, instance_type="t3.small")
    assert result["problems"] == []


def test_elastic_ip_quota_counts_the_stack_own_addresses(aws, run_module):
    """AWS's default quota is 5 VPC addresses a region (moto reports it too): two of another stack
    leave room for three hosts; the stack's own address already counts towards its hosts."""
    ec2 = aws.client("ec2")
    for _address in range(2):
        ec2.allocate_address(Domain="vpc")
    names = {**NAMES, "elastic_ips": "ec2_host_count"}
    tags = {"django_aws:stack": "shop"}
    code, fits = run_module(main, {"variables": names, "elastic_ips": 3, "elastic_ip_tags": tags})
    assert code == 0 and fits["problems"] == []
    code, refused = run_module(main, {"variables": names, "elastic_ips": 4, "elastic_ip_tags": tags})
    assert len(refused["problems"]) == 1, refused["problems"]
    assert refused["problems"][0].startswith("ec2_host_count needs 4 Elastic IPs (0 allocated already)")
    assert "quota is 5 and 2 are allocated" in refused["problems"][0]
    ec2.allocate_address(Domain="vpc", TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "django_aws:stack", "Value": "shop"}]}])
    code, own = run_module(main, {"variables": names, "elastic_ips": 3, "elastic_ip_tags": tags})
    assert own["problems"] == []


def test_local_zones_are_not_offered_as_availability_zones(aws, run_module):
    """An account opted into a Local Zone lists it as available; RDS is not offered there."""
    aws.client("ec2")  # the region's backend exists before a zone is added to it
    from moto.ec2.models import availability_zones_and_regions as zones  # pylint: disable=import-outside-toplevel
    local = zones.Zone(name="eu-west-1-lhr-1a", region_name="eu-west-1", zone_id="euw1-lhr1-az1", zone_type="local-zone")
    zones.RegionsAndZonesBackend.zones["eu-west-1"].append(local)
    try:
        code, result = run_module(main, {"variables": NAMES, "availability_zones": ["eu-west-1-lhr-1a"]})
    finally:
        zones.RegionsAndZonesBackend.zones["eu-west-1"].remove(local)
    assert "eu-west-1-lhr-1a" not in result["availability_zones"]
    assert len(result["problems"]) == 1 and "not an available zone of eu-west-1" in result["problems"][0]


def test_hosted_zone_must_be_one_public_zone(aws, run_module):
    """The site's records go to a public zone of that exact name: a private zone of the name, a
    zone of a longer name after it in the listing, or two public zones of the name are refused."""
    route53 = aws.client("route53")
    names = {**NAMES, "hosted_zone": "django_aws_route53_zone (ec2_host_dns_zone)"}
    route53.create_hosted_zone(Name="example.com", CallerReference="private", HostedZoneConfig={"PrivateZone": True},
                               VPC={"VPCRegion": "eu-west-1", "VPCId": aws.client("ec2").describe_vpcs()["Vpcs"][0]["VpcId"]})
    route53.create_hosted_zone(Name="www.example.com", CallerReference="longer")
    code, missing = run_module(main, {"variables": names, "hosted_zone": "example.com"})
    assert code == 0 and len(missing["problems"]) == 1, missing
    assert missing["problems"][0].startswith("django_aws_route53_zone (ec2_host_dns_zone) is 'example.com', but this account "
                                             "has no public Route 53 hosted zone of that name")
    zone_id = route53.create_hosted_zone(Name="example.com", CallerReference="public")["HostedZone"]["Id"].rsplit("/", 1)[-1]
    found = run(run_module, variables=names, hosted_zone="Example.com.")
    assert found["problems"] == [] and found["hosted_zone_id"] == zone_id
    route53.create_hosted_zone(Name="example.com", CallerReference="again")
    code, two = run_module(main, {"variables": names, "hosted_zone": "example.com"})
    assert len(two["problems"]) == 1 and "has 2 public hosted zones of that name" in two["problems"][0], two


def test_a_name_with_a_cname_or_alias_is_refused_before_anything_is_created(aws, run_module):
    route53 = aws.client("route53")
    zone_id = route53.create_hosted_zone(Name="example.com", CallerReference="public")["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.example.com", "Type": "CNAME", "TTL": 300,
                                                   "ResourceRecords": [{"Value": "shop.example.net"}]}},
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "example.com", "Type": "A", "TTL": 300,
                                                   "ResourceRecords": [{"Value": "198.51.100.1"}]}}]})
    names = {**NAMES, "hosted_zone": "django_aws_route53_zone", "hosted_zone_names": "django_aws_domain"}
    result = run(run_module, variables=names, hosted_zone="example.com", hosted_zone_names=["www.example.com", "example.com"])
    # The CNAME conflicts; the plain A record of an old server is replaced, not a problem.
    assert result["problems"] == [
        "django_aws_domain include www.example.com, which already has a CNAME, alias or routing-policy record in example.com "
        "that an A record to the hosts would replace or conflict with: remove it there, or take the name out"]
    assert run(run_module, variables=names, hosted_zone="example.com", hosted_zone_names=["example.com"])["problems"] == []
