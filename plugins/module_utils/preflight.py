# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS's own rules, asked of AWS (or of the emulator) before anything is created.

Two kinds: rules written down in AWS's documentation that a request would break (checked here
without a call: RDS storage, DB instance class names), and rules only AWS can answer (which
instance types a zone offers, which zones a region has, which DB classes and engine versions
RDS offers, what an image boots from). Each check returns a list of problems, one sentence
each, naming the module option; the module maps options to the user's variable names.
"""

from __future__ import annotations

import re

try:
    import boto3
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# RDS for PostgreSQL gp3 (RDS User Guide, "gp3 storage"): below 400 GiB the volume gets a
# baseline of 3000 IOPS and 125 MiB/s and neither may be given; from 400 GiB the baseline is
# 12000 IOPS / 500 MiB/s and up to 64000 IOPS / 4000 MiB/s may be provisioned, throughput at
# most 0.25 MiB/s per IOPS. Storage 20 GiB to 64 TiB.
GP3_PROVISIONING_FROM_GIB = 400
GP3_IOPS_RANGE = (12000, 64000)
GP3_THROUGHPUT_RANGE = (500, 4000)
STORAGE_GIB_RANGE = {"gp2": (20, 65536), "gp3": (20, 65536), "io1": (100, 65536), "io2": (100, 65536)}
# DB instance classes are db.<family>.<size>; sizes as AWS names them.
DB_CLASS = re.compile(r"^db\.[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|[0-9]*xlarge(\.tpc[0-9]\.mem[0-9]+x)?|metal)$")
INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$")


def rds_storage_problems(storage_type, allocated, iops, throughput):
    """Problems of an RDS PostgreSQL storage request (no call: AWS's documented rules)."""
    problems = []
    low, high = STORAGE_GIB_RANGE.get(storage_type, (20, 65536))
    if not low <= allocated <= high:
        problems.append(("allocated_storage", f"must be {low} to {high} GiB for {storage_type} storage (got {allocated})"))
    if storage_type == "gp3":
        if allocated < GP3_PROVISIONING_FROM_GIB:
            for option, value in (("iops", iops), ("storage_throughput", throughput)):
                if value:
                    problems.append((option, f"must not be set below {GP3_PROVISIONING_FROM_GIB} GiB of gp3 storage: AWS refuses "
                                             f"it (\"You can't specify IOPS or storage throughput for engine postgres and a "
                                             f"storage size less than 400\"); the baseline 3000 IOPS / 125 MiB/s is included "
                                             f"(got {value} with {allocated} GiB)"))
        else:
            if iops and not GP3_IOPS_RANGE[0] <= iops <= GP3_IOPS_RANGE[1]:
                problems.append(("iops", f"must be {GP3_IOPS_RANGE[0]} to {GP3_IOPS_RANGE[1]} for gp3 from 400 GiB (got {iops})"))
            if throughput and not GP3_THROUGHPUT_RANGE[0] <= throughput <= GP3_THROUGHPUT_RANGE[1]:
                problems.append(("storage_throughput", f"must be {GP3_THROUGHPUT_RANGE[0]} to {GP3_THROUGHPUT_RANGE[1]} MiB/s "
                                                       f"for gp3 from 400 GiB (got {throughput})"))
            if iops and throughput and throughput > iops / 4:
                problems.append(("storage_throughput", f"may be at most IOPS / 4 ({iops // 4}) MiB/s (got {throughput})"))
    elif throughput:
        problems.append(("storage_throughput", f"applies only to gp3 storage (storage type is {storage_type})"))
    return problems


def known_regions():
    """Every region botocore knows for EC2, in every partition (aws, aws-cn, aws-us-gov, ...)."""
    session = boto3.session.Session()
    return {region for partition in session.get_available_partitions()
            for region in session.get_available_regions("ec2", partition_name=partition)}


@AWSRetry.jittered_backoff()
def available_zones(client):
    """Names of the region's availability zones in state available: not the Local or Wavelength
    Zones an account opted into, where RDS and most instance types are not offered."""
    zones = client.describe_availability_zones(Filters=[{"Name": "state", "Values": ["available"]},
                                                        {"Name": "zone-type", "Values": ["availability-zone"]}])
    return sorted(zone["ZoneName"] for zone in zones.get("AvailabilityZones", []))


@AWSRetry.jittered_backoff()
def elastic_ip_quota(client):
    """The region's Elastic IP quota for VPCs (vpc-max-elastic-ips; AWS's default is 5)."""
    attributes = client.describe_account_attributes(AttributeNames=["vpc-max-elastic-ips"]).get("AccountAttributes", [])
    for attribute in attributes:
        for value in attribute.get("AttributeValues", []):
            return int(value["AttributeValue"])
    return None


@AWSRetry.jittered_backoff()
def elastic_ips(client):
    """The region's allocated VPC Elastic IPs."""
    return [a for a in client.describe_addresses().get("Addresses", []) if a.get("Domain", "vpc") == "vpc"]


def elastic_ip_problem(quota, allocated, needed, ours):
    """A sentence when `needed` addresses (of which `ours` are already allocated) do not fit the
    quota beside the `allocated` ones; None when they fit or the quota is unknown."""
    if quota is None or needed - ours <= quota - allocated:
        return None
    return (f"needs {needed} Elastic IPs ({ours} allocated already), but the region's quota is {quota} and "
            f"{allocated} are allocated (AWS would answer AddressLimitExceeded after launching the hosts): "
            f"release unused addresses, ask AWS for a higher quota (Service Quotas, EC2-VPC Elastic IPs), "
            f"or use fewer hosts")


@AWSRetry.jittered_backoff()
def public_hosted_zones(client, name):
    """The account's public Route 53 hosted zones named `name` (AWS allows several with one name)."""
    wanted = name.lower().rstrip(".") + "."
    zones = client.list_hosted_zones_by_name(DNSName=wanted, MaxItems="100").get("HostedZones", [])
    return [zone for zone in zones if zone["Name"].lower() == wanted and not zone.get("Config", {}).get("PrivateZone")]


@AWSRetry.jittered_backoff()
def record_sets(client, zone_id):
    """Every record set of the hosted zone (all pages)."""
    paginator = client.get_paginator("list_resource_record_sets")
    return paginator.paginate(HostedZoneId=zone_id).build_full_result().get("ResourceRecordSets", [])


def hosted_zone_problem(name, zones):
    """A sentence when `zones` (public_hosted_zones' answer) is not exactly one zone; None otherwise."""
    if not zones:
        return (f"is '{name}', but this account has no public Route 53 hosted zone of that name (create it and point the "
                f"domain's name servers at it, or leave the variable empty and create the records yourself)")
    if len(zones) > 1:
        ids = ", ".join(zone["Id"].rsplit("/", 1)[-1] for zone in zones)
        return f"is '{name}', but this account has {len(zones)} public hosted zones of that name ({ids}): delete the unused ones"
    return None


@AWSRetry.jittered_backoff()
def instance_type_locations(client, instance_type, location_type):
    """Where (region or zone names) the instance type is offered."""
    paginator = client.get_paginator("describe_instance_type_offerings")
    pages = paginator.paginate(LocationType=location_type,
                               Filters=[{"Name": "instance-type", "Values": [instance_type]}])
    return sorted({offer["Location"] for page in pages for offer in page.get("InstanceTypeOfferings", [])})


@AWSRetry.jittered_backoff()
def _describe_instance_types(client, instance_type):
    return client.describe_instance_types(InstanceTypes=[instance_type]).get("InstanceTypes", [])


def instance_type_architectures(client, instance_type):
    """The architectures an instance type runs, or None when AWS does not know the type."""
    try:
        types = _describe_instance_types(client, instance_type)
    except is_boto3_error_code("InvalidInstanceType"):
        return None
    if not types:
        return None
    return sorted(types[0].get("ProcessorInfo", {}).get("SupportedArchitectures", []))


@AWSRetry.jittered_backoff()
def _describe_image(client, image_id):
    return client.describe_images(ImageIds=[image_id]).get("Images", [])


def image(client, image_id):
    """The image (a dict) or None when it does not exist (or is not visible to this account)."""
    try:
        images = _describe_image(client, image_id)
    except is_boto3_error_code(["InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidAMIID.Unavailable"]):
        return None
    return images[0] if images else None


@AWSRetry.jittered_backoff()
def orderable_db_options(client, engine, db_instance_class=None):
    """RDS's orderable options for the engine (and class): engine versions, storage types and sizes."""
    arguments = {"Engine": engine}
    if db_instance_class:
        arguments["DBInstanceClass"] = db_instance_class
    paginator = client.get_paginator("describe_orderable_db_instance_options")
    return [option for page in paginator.paginate(**arguments) for option in page.get("OrderableDBInstanceOptions", [])]


@AWSRetry.jittered_backoff()
def engine_orderable(client, engine):
    """Whether the endpoint lists any orderable option for the engine (AWS does; moto does not for postgres)."""
    page = client.describe_orderable_db_instance_options(Engine=engine, MaxRecords=20)
    return bool(page.get("OrderableDBInstanceOptions"))


def version_tuple(version):
    return tuple(int(part) for part in re.findall(r"[0-9]+", str(version)))


def matching_versions(options, engine_version):
    """Engine versions among the options that the requested one names (17 names 17.x; 17.4 only 17.4)."""
    wanted = version_tuple(engine_version)
    versions = {option.get("EngineVersion", "") for option in options}
    return sorted((v for v in versions if version_tuple(v)[:len(wanted)] == wanted), key=version_tuple)
