#!/usr/bin/python
# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_preflight_info
short_description: Ask AWS whether it offers what a stack asks for, before anything is created
version_added: 0.2.0
description:
  - Checks a stack's settings against AWS's own rules and answers, without changing anything, and
    returns every problem found (one sentence each, naming the variable the user set).
  - Rules AWS documents (checked without a call) - RDS gp3 storage takes no IOPS or throughput below
    400 GiB and 12000-64000 IOPS / 500-4000 MiB/s from 400 GiB; storage sizes per type; the
    shape of DB instance class and EC2 instance type names; the region is one botocore knows.
  - Rules only AWS can answer (asked with DescribeAvailabilityZones, DescribeInstanceTypes,
    DescribeInstanceTypeOfferings, DescribeImages, DescribeOrderableDBInstanceOptions, ListHostedZonesByName) - the
    zones exist and are available in the region, the instance type exists, runs the architecture
    and is offered in the zones, the image exists with that architecture (its root device is
    returned), and RDS offers the DB class with an engine version of the one asked for and the
    storage type.
  - An endpoint that lists no orderable options at all for the engine (the moto emulator does
    not implement them for PostgreSQL) cannot answer the RDS questions - they are reported in
    RV(unchecked), not as problems.
author: django_aws.deploy maintainers (@django-aws)
options:
  availability_zones:
    description: Zones the stack will use (empty - the region's first two, checked to exist).
    type: list
    elements: str
    default: []
  instance_type:
    description: EC2 instance type of the web hosts.
    type: str
  architecture:
    description: Architecture the web hosts' image is for.
    type: str
    choices: [x86_64, arm64]
  image_id:
    description: An image the user pinned; its architecture and root device are checked and returned.
    type: str
  db_instance_class:
    description: RDS DB instance class.
    type: str
  db_engine:
    description: RDS engine.
    type: str
    default: postgres
  db_engine_version:
    description: Engine version, a major (V(17)) or a full version (V(17.4)).
    type: str
  db_storage_type:
    description: RDS storage type.
    type: str
    default: gp3
    choices: [gp2, gp3, io1, io2]
  db_allocated_storage:
    description: Allocated storage in GiB.
    type: int
  db_iops:
    description: Provisioned IOPS (0 or unset - none, the storage type's baseline).
    type: int
    default: 0
  db_storage_throughput:
    description: Provisioned throughput in MiB/s (0 or unset - none).
    type: int
    default: 0
  elastic_ips:
    description:
      - Elastic IPs the stack needs (one per web host); checked against the region's quota
        (C(vpc-max-elastic-ips)) and the addresses already allocated. 0 - not checked.
    type: int
    default: 0
  elastic_ip_tags:
    description: Tags of the stack's own addresses (already allocated ones count towards O(elastic_ips)).
    type: dict
    default: {}
  hosted_zone:
    description:
      - A Route 53 hosted zone name the stack keeps records in; checked to be exactly one public hosted zone
        of the account (asked with ListHostedZonesByName). Its id is returned.
    type: str
  hosted_zone_names:
    description:
      - Names that will get a plain A record in O(hosted_zone); a name that already has a CNAME, an alias A
        record or A records with a routing policy there is a problem (Route 53 would refuse the A record, or it
        would repoint what the user built). Asked with ListResourceRecordSets.
    type: list
    elements: str
    default: []
  variables:
    description:
      - The variable the user sets for each option, used in the messages (for example
        C(instance_type) mapped to C(ec2_host_instance_type)). Options not listed are named as they are.
    type: dict
    default: {}
notes:
  - Only reads.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
"""

EXAMPLES = r"""
- name: Ask AWS about the web hosts' instance type before launching anything
  django_aws.deploy.aws_preflight_info:
    instance_type: t3.small
    architecture: x86_64
    availability_zones: [eu-west-1a, eu-west-1b]
    variables:
      instance_type: ec2_host_instance_type
  register: preflight

- name: Stop on what AWS would refuse
  ansible.builtin.assert:
    that: preflight.problems | length == 0
    fail_msg: "{{ preflight.problems | join('; ') }}"
"""

RETURN = r"""
problems:
  description: One sentence per broken rule, each starting with the variable it is about.
  returned: always
  type: list
  elements: str
  sample: ["ec2_host_instance_type 't3.smal' is not an EC2 instance type AWS knows"]
unchecked:
  description: Rules the endpoint could not answer, with the reason.
  returned: always
  type: list
  elements: str
  sample: ["db_instance_class, db_engine_version, db_storage_type: the endpoint lists no orderable options for postgres"]
availability_zones:
  description: The region's available zones.
  returned: when the region is known
  type: list
  elements: str
  sample: [eu-west-1a, eu-west-1b, eu-west-1c]
image:
  description: The pinned image, when O(image_id) is given and exists.
  returned: when O(image_id) names an image
  type: dict
  contains:
    image_id:
      description: The image id.
      returned: always
      type: str
      sample: ami-0123456789abcdef0
    architecture:
      description: Its architecture.
      returned: always
      type: str
      sample: x86_64
    root_device_name:
      description: The device it boots from (where the encrypted root volume must go).
      returned: always
      type: str
      sample: /dev/xvda
db_engine_versions:
  description: The engine versions RDS offers for the class that match O(db_engine_version) (empty - none).
  returned: when RDS lists the class
  type: list
  elements: str
  sample: ["17.4", "17.5"]
hosted_zone_id:
  description: The id of the public hosted zone O(hosted_zone) (without C(/hostedzone/)).
  returned: when O(hosted_zone) names exactly one public hosted zone
  type: str
  sample: Z0123456789ABCDEFGHIJ
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.django_aws.deploy.plugins.module_utils import preflight
from ansible_collections.django_aws.deploy.plugins.module_utils import route53


class Preflight:
    """Collects problems, each named by the user's variable."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.problems = []
        self.unchecked = []
        self.result = {}

    def problem(self, option, text):
        self.problems.append(f"{self.params['variables'].get(option, option)} {text}")

    def run(self):
        region = self.module.region
        if not region:
            self.problem("region", "is not set: name the stack's AWS region (e.g. eu-west-1)")
            return
        ec2 = self.module.client("ec2")
        if region in preflight.known_regions():
            zones = preflight.available_zones(ec2)
        else:
            # Newer than this botocore, or a typo: a region that exists answers.
            try:
                zones = preflight.available_zones(ec2)
            except Exception:  # pylint: disable=broad-exception-caught  # no endpoint, or an emulator's parse error
                zones = None
            if not zones:
                self.problem("region", f"'{region}' is not an AWS region (botocore does not know it and the EC2 API "
                                       f"does not answer there; check the spelling)")
                return
        self.result["availability_zones"] = zones
        wanted_zones = self.params["availability_zones"]
        for zone in wanted_zones:
            if zone not in zones:
                self.problem("availability_zones", f"names '{zone}', which is not an available zone of {region} "
                                                   f"(available: {', '.join(zones)})")
        if self.params["instance_type"]:
            # Zones that do not exist are reported above, once.
            self.check_instance_type(ec2, [zone for zone in wanted_zones if zone in zones] or zones[:2])
        if self.params["image_id"]:
            self.check_image(ec2)
        if self.params["elastic_ips"]:
            self.check_elastic_ips(ec2)
        if self.params["hosted_zone"]:
            self.check_hosted_zone()
        if self.params["db_instance_class"]:
            self.check_database()

    def check_instance_type(self, ec2, zones):
        instance_type = self.params["instance_type"]
        if not preflight.INSTANCE_TYPE.match(instance_type):
            self.problem("instance_type", f"'{instance_type}' is not an EC2 instance type name (family.size, e.g. t3.small)")
            return
        architectures = preflight.instance_type_architectures(ec2, instance_type)
        if architectures is None:
            self.problem("instance_type", f"'{instance_type}' is not an EC2 instance type AWS knows")
            return
        architecture = self.params["architecture"]
        if architecture and architecture not in architectures:
            self.problem("architecture", f"is {architecture}, but instance type {instance_type} runs "
                                         f"{', '.join(architectures)} only (pick a matching type or architecture)")
        offered = preflight.instance_type_locations(ec2, instance_type, "availability-zone")
        missing = [zone for zone in zones if zone not in offered]
        if missing:
            self.problem("instance_type", f"'{instance_type}' is not offered in {', '.join(missing)} "
                                          f"(offered in: {', '.join(offered) or 'no zone of ' + self.module.region})")

    def check_elastic_ips(self, ec2):
        allocated = preflight.elastic_ips(ec2)
        wanted_tags = self.params["elastic_ip_tags"].items()
        ours = [a for a in allocated
                if wanted_tags <= {t["Key"]: t["Value"] for t in a.get("Tags", [])}.items()]
        problem = preflight.elastic_ip_problem(preflight.elastic_ip_quota(ec2), len(allocated),
                                               self.params["elastic_ips"], len(ours))
        if problem:
            self.problem("elastic_ips", problem)

    def check_hosted_zone(self):
        name = self.params["hosted_zone"]
        zones = preflight.public_hosted_zones(self.module.client("route53"), name)
        problem = preflight.hosted_zone_problem(name, zones)
        if problem:
            self.problem("hosted_zone", problem)
            return
        zone_id = zones[0]["Id"].rsplit("/", 1)[-1]
        self.result["hosted_zone_id"] = zone_id
        names = self.params["hosted_zone_names"]
        if names:
            sets = route53.snake_record_sets(preflight.record_sets(self.module.client("route53"), zone_id))
            conflicts = route53.route53_plan(sets, names, [], 0)["conflicts"]
            if conflicts:
                self.problem("hosted_zone_names", f"include {', '.join(conflicts)}, which already "
                                                  f"{'has' if len(conflicts) == 1 else 'have'} a CNAME, alias or routing-policy "
                                                  f"record in {name} that an A record to the hosts would replace or conflict "
                                                  f"with: remove it there, or take the name out")

    def check_image(self, ec2):
        image_id = self.params["image_id"]
        found = preflight.image(ec2, image_id)
        if found is None:
            self.problem("image_id", f"'{image_id}' is not an image this account can use in {self.module.region}")
            return
        self.result["image"] = {"image_id": image_id, "architecture": found.get("Architecture", ""),
                                "root_device_name": found.get("RootDeviceName", "")}
        architecture = self.params["architecture"]
        if architecture and found.get("Architecture") and found["Architecture"] != architecture:
            self.problem("image_id", f"'{image_id}' is an {found['Architecture']} image, but the architecture is {architecture}")
        if not found.get("RootDeviceName"):
            self.problem("image_id", f"'{image_id}' names no root device, so its root volume cannot be encrypted")

    def check_database(self):
        params = self.params
        db_class = params["db_instance_class"]
        for option, text in preflight.rds_storage_problems(params["db_storage_type"], params["db_allocated_storage"] or 20,
                                                           params["db_iops"] or 0, params["db_storage_throughput"] or 0):
            self.problem(f"db_{option}", text)
        if not preflight.DB_CLASS.match(db_class):
            self.problem("db_instance_class", f"'{db_class}' is not a DB instance class name (db.family.size, e.g. db.t4g.micro)")
            return
        rds = self.module.client("rds")
        options = preflight.orderable_db_options(rds, params["db_engine"], db_class)
        if not options:
            if not preflight.engine_orderable(rds, params["db_engine"]):
                self.unchecked.append(f"db_instance_class, db_engine_version, db_storage_type: the endpoint lists no "
                                      f"orderable options for {params['db_engine']}")
                return
            self.problem("db_instance_class", f"'{db_class}' is not offered for {params['db_engine']} in {self.module.region}")
            return
        version = params["db_engine_version"]
        versions = preflight.matching_versions(options, version)
        self.result["db_engine_versions"] = versions
        if not versions:
            majors = sorted({str(preflight.version_tuple(o["EngineVersion"])[0]) for o in options}, key=int)
            self.problem("db_engine_version", f"'{version}' is not offered with {db_class} (majors offered: {', '.join(majors)})")
            return
        storage = [o for o in options if o.get("EngineVersion") in versions and o.get("StorageType") == params["db_storage_type"]]
        if not storage:
            self.problem("db_storage_type", f"'{params['db_storage_type']}' is not offered for {db_class} with {params['db_engine']} {version}")


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            availability_zones=dict(type="list", elements="str", default=[]),
            instance_type=dict(type="str"),
            architecture=dict(type="str", choices=["x86_64", "arm64"]),
            image_id=dict(type="str"),
            db_instance_class=dict(type="str"),
            db_engine=dict(type="str", default="postgres"),
            db_engine_version=dict(type="str"),
            db_storage_type=dict(type="str", default="gp3", choices=["gp2", "gp3", "io1", "io2"]),
            db_allocated_storage=dict(type="int"),
            db_iops=dict(type="int", default=0),
            db_storage_throughput=dict(type="int", default=0),
            elastic_ips=dict(type="int", default=0),
            elastic_ip_tags=dict(type="dict", default={}),
            hosted_zone=dict(type="str"),
            hosted_zone_names=dict(type="list", elements="str", default=[]),
            variables=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    checks = Preflight(module)
    try:
        checks.run()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Could not ask AWS about the stack's settings")
    module.exit_json(changed=False, problems=checks.problems, unchecked=checks.unchecked, **checks.result)


if __name__ == "__main__":
    main()
