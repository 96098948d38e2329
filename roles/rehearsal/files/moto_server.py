"""moto server as the rehearsal runs it: AWS's answers where moto leaves a field out, and a
state that survives a restart.

usage: moto_server.py -H 127.0.0.1 -p PORT     (moto.server's own arguments)

- AWS reports the gp3 baseline (3000 IOPS, 125 MiB/s below 400 GiB; 12000 / 500 from 400 GiB)
  for an RDS instance created without IOPS or throughput; moto reports neither, and
  amazon.aws.rds_instance then fails on its second run (KeyError 'StorageThroughput'). The
  instance is given AWS's values here, so the inventory can stay valid for AWS: no IOPS or
  throughput below 400 GiB, which AWS refuses.
- AWS answers DescribeDBParameterGroups for a name that does not exist with
  DBParameterGroupNotFound; moto returns an empty list, and amazon.aws.rds_instance_param_group
  then fails with "list index out of range" on its first run. The error is raised here.
- AWS lists every engine parameter of a new parameter group (engine defaults, no value);
  moto lists none, so amazon.aws.rds_instance_param_group reports each setting as "not an
  available parameter" and applies nothing. A postgres* group is given the parameter names,
  types and modifiability of the controller's PostgreSQL (postgres --describe-config; bootstrap
  installs it), so settings apply and a misspelt name is refused as on AWS.
- AWS refuses to release an Elastic IP still associated in a VPC (InvalidIPAddress.InUse: "You
  must disassociate the Elastic IP address before you can release it"); moto disassociates it
  silently. The refusal is given here.
- AWS refuses a sixth Elastic IP in a region (AddressLimitExceeded, the default quota of 5 that
  DescribeAccountAttributes vpc-max-elastic-ips reports); moto allocates any number.
- AWS's DescribeTags names an Elastic IP's resource type `elastic-ip`; moto says
  `vpc-elastic-ip`, so amazon.aws.ec2_eip (which filters on `elastic-ip`) finds no tags and re-tags
  on every run. AWS's name is used here.
- An RDS instance is `creating`, without an `Endpoint`, for minutes on AWS; moto makes it
  `available` at once. Here it stays `creating` for REHEARSAL_RDS_CREATING_SECONDS (default 0)
  after CreateDBInstance; meanwhile ModifyDBInstance and CreateDBSnapshot are refused
  (InvalidDBInstanceState) as on AWS.
- AWS refuses to shrink RDS storage ("Invalid storage size ..."); moto accepts it. Refused here.
- AWS answers DependencyViolation when a security group or subnet is deleted while a network
  interface still uses it: a live instance's, or for a while a terminated instance's or deleted
  database's (their interfaces linger). moto deletes at once. Here a live instance holds its
  groups and subnet, and a terminated instance or deleted database holds them for
  REHEARSAL_LINGER_SECONDS (default 0) more.
- RDS log exports create CloudWatch Logs groups `/aws/rds/instance/<id>/<log>` (kept after the
  instance is deleted); moto creates none. They are created here.
- An account opted into a Local Zone lists it among its zones (state available, zone type
  `local-zone`), and a Local Zone offers neither every instance type nor RDS. Each region here
  lists one (`<region>-rehearsal-1a`, which sorts before the region's ordinary zones), so code
  that takes every available zone picks it.
- AWS refuses ApplyMethod=immediate for a static parameter ("cannot use immediate apply method for
  static parameter"), and a change sent pending-reboot to a group in use leaves its instances
  `pending-reboot` (DBParameterGroups[].ParameterApplyStatus) until RebootDBInstance; moto
  accepts both and always reports `in-sync`. Both are given here.
- Persistence: moto_start.py sets MOTO_ENABLE_RECORDING and MOTO_RECORDER_FILEPATH, so every
  request is recorded; after a restart it replays the recording (with the seed it recorded
  first), which brings back the same resources with the same ids.
"""
import glob
import os
import subprocess
import sys
import time

from moto.ec2 import exceptions as ec2_exceptions
from moto.ec2 import utils as ec2_utils
from moto.ec2.models import availability_zones_and_regions as ec2_zones
from moto.ec2.models import elastic_ip_addresses as ec2_eips
from moto.ec2.models import instances as ec2_instances
from moto.ec2.models import security_groups as ec2_groups
from moto.ec2.models import subnets as ec2_subnets
from moto.logs.models import logs_backends
from moto.rds import exceptions as rds_exceptions
from moto.rds import models as rds_models
from moto.server import main


def patch(owner, name, replacement):
    """Put replacement in place of owner.name; returns what was there (the replacement calls it)."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    return original


RDS_CREATING_SECONDS = float(os.environ.get("REHEARSAL_RDS_CREATING_SECONDS") or 0)
LINGER_SECONDS = float(os.environ.get("REHEARSAL_LINGER_SECONDS") or 0)

GP3_BASELINE = {False: (3000, 125), True: (12000, 500)}  # keyed by "400 GiB or more"
_original_init = rds_models.DBInstance.__init__


def _init_with_aws_gp3_baseline(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    if getattr(self, "storage_type", None) == "gp3" and not getattr(self, "db_cluster_identifier", None):
        iops, throughput = GP3_BASELINE[int(self.allocated_storage or 0) >= 400]
        self.iops = self.iops or iops
        self.storage_throughput = self.storage_throughput or throughput


rds_models.DBInstance.__init__ = _init_with_aws_gp3_baseline

_original_describe_groups = rds_models.RDSBackend.describe_db_parameter_groups


def _describe_groups_or_not_found(self, db_parameter_group_kwargs):
    groups = _original_describe_groups(self, db_parameter_group_kwargs)
    name = db_parameter_group_kwargs.get("db_parameter_group_name")
    if name and not groups:
        raise rds_exceptions.DBParameterGroupNotFoundError(name)
    return groups


rds_models.RDSBackend.describe_db_parameter_groups = _describe_groups_or_not_found

# PostgreSQL's vartype -> RDS's DataType; contexts a user cannot set are not modifiable.
PG_DATA_TYPES = {"BOOLEAN": "boolean", "INTEGER": "integer", "REAL": "float", "ENUM": "string", "STRING": "string"}
PG_FIXED_CONTEXTS = {"internal"}


def postgres_engine_defaults():
    """{name: RDS parameter description} from the newest local postgres --describe-config."""
    for binary in sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), reverse=True):
        described = subprocess.run([binary, "--describe-config"], capture_output=True, text=True, check=False)
        if described.returncode == 0:
            break
    else:
        return {}
    defaults = {}
    for line in described.stdout.splitlines():
        name, context, _group, vartype = line.split("\t")[:4]
        defaults[name] = {"ParameterName": name, "DataType": PG_DATA_TYPES.get(vartype, "string"),
                          "IsModifiable": context not in PG_FIXED_CONTEXTS, "Source": "engine-default",
                          "ApplyType": "static" if context == "postmaster" else "dynamic"}
    return defaults


# Parameters RDS adds to PostgreSQL's own (only those the collection sets; AWS lists more).
RDS_POSTGRES_PARAMETERS = {
    "rds.force_ssl": {"ParameterName": "rds.force_ssl", "DataType": "boolean", "IsModifiable": True,
                      "Source": "engine-default", "ApplyType": "dynamic", "AllowedValues": "0,1",
                      "ParameterValue": "1"},
}


_original_group_init = rds_models.DBParameterGroup.__init__
_postgres_defaults = {}


def _group_init_with_engine_defaults(self, *args, **kwargs):
    _original_group_init(self, *args, **kwargs)
    if (self.family or "").startswith("postgres"):
        if not _postgres_defaults:
            _postgres_defaults.update(postgres_engine_defaults())
            _postgres_defaults.update(RDS_POSTGRES_PARAMETERS)
        for name, description in _postgres_defaults.items():
            self.parameters[name] = dict(description)


rds_models.DBParameterGroup.__init__ = _group_init_with_engine_defaults


# --- EC2: Elastic IPs ------------------------------------------------------------------------

EIP_QUOTA = 5  # AWS's default vpc-max-elastic-ips, as moto's DescribeAccountAttributes says


def _release_only_disassociated(self, address=None, allocation_id=None):
    eips = self.address_by_ip([address]) if address else self.address_by_allocation([allocation_id])
    if eips and eips[0].domain == "vpc" and eips[0].association_id:
        raise ec2_exceptions.EC2ClientError(
            "InvalidIPAddress.InUse", "You must disassociate the Elastic IP address before you can release it.")
    return _original_release(self, address=address, allocation_id=allocation_id)


def _allocate_within_quota(self, domain, address=None, tags=None):
    if len([a for a in self.addresses if a.domain == "vpc"]) >= EIP_QUOTA:
        raise ec2_exceptions.EC2ClientError(
            "AddressLimitExceeded", "The maximum number of addresses has been reached.")
    return _original_allocate(self, domain, address=address, tags=tags)


_original_release = patch(ec2_eips.ElasticAddressBackend, "release_address", _release_only_disassociated)
_original_allocate = patch(ec2_eips.ElasticAddressBackend, "allocate_address", _allocate_within_quota)
ec2_utils.EC2_PREFIX_TO_RESOURCE["eipalloc"] = "elastic-ip"

# --- EC2: security groups and subnets held by network interfaces -----------------------------

_lingering = {}  # security group or subnet id -> time until which a gone interface still holds it


def _linger(*resource_ids):
    until = time.monotonic() + LINGER_SECONDS
    for resource_id in resource_ids:
        _lingering[resource_id] = max(_lingering.get(resource_id, 0), until)


def _terminate_and_linger(self):
    _linger(self.subnet_id, *(group.id for group in self.security_groups))
    return _original_terminate(self)


def _holders(backend, resource_id):
    """What holds a security group or subnet: a live instance, or a gone interface lingering."""
    for instance in backend.all_instances():
        if instance._state.name != "terminated" and (
                resource_id == instance.subnet_id or resource_id in {g.id for g in instance.security_groups}):
            return f"instance {instance.id}"
    if _lingering.get(resource_id, 0) > time.monotonic():
        return "a network interface being deleted"
    return None


def _dependency_violation(resource_id, holder):
    return ec2_exceptions.DependencyViolationError(f"resource {resource_id} has a dependent object ({holder})")


def _delete_group_unless_held(self, name=None, group_id=None):
    holder = group_id and _holders(self, group_id)
    if holder:
        raise _dependency_violation(group_id, holder)
    return _original_delete_group(self, name=name, group_id=group_id)


def _delete_subnet_unless_held(self, subnet_id):
    holder = _holders(self, subnet_id)
    if holder:
        raise _dependency_violation(subnet_id, holder)
    return _original_delete_subnet(self, subnet_id)


_original_terminate = patch(ec2_instances.Instance, "terminate", _terminate_and_linger)
_original_delete_group = patch(ec2_groups.SecurityGroupBackend, "delete_security_group", _delete_group_unless_held)
_original_delete_subnet = patch(ec2_subnets.SubnetBackend, "delete_subnet", _delete_subnet_unless_held)

# --- EC2: an opted-in Local Zone in every region ---------------------------------------------

for _region, _zones in ec2_zones.RegionsAndZonesBackend.zones.items():
    if _zones and not any(zone.zone_type == "local-zone" for zone in _zones):
        _zones.append(ec2_zones.Zone(name=f"{_region}-rehearsal-1a", region_name=_region,
                                     zone_id=f"{_zones[0].zone_id.split('-')[0]}-lz1-az1", zone_type="local-zone"))

# --- RDS: creating, storage, log groups, lingering interfaces --------------------------------


def _status(self):
    if self.__dict__.get("_rehearsal_status") == "available" and time.monotonic() < self.__dict__.get("_rehearsal_ready", 0):
        return "creating"
    return self.__dict__.get("_rehearsal_status")


def _set_status(self, value):
    self.__dict__["_rehearsal_status"] = value


def _endpoint(self):
    if self.status == "creating":
        return None  # AWS lists no Endpoint until the instance is available
    return {"Address": self.address, "Port": self.port}


def _require_available(database, action):
    if database.status != "available":
        raise rds_exceptions.RDSClientError(
            "InvalidDBInstanceState",
            f"Cannot {action} DB instance {database.db_instance_identifier}: it is {database.status}, not available.")


def _create_instance_creating(self, db_kwargs):
    database = _original_create_instance(self, db_kwargs)
    database.__dict__["_rehearsal_ready"] = time.monotonic() + RDS_CREATING_SECONDS
    logs = logs_backends[self.account_id][self.region_name]
    for log in database.enabled_cloudwatch_logs_exports or []:
        name = f"/aws/rds/instance/{database.db_instance_identifier}/{log}"
        if name not in logs.groups:
            logs.create_log_group(name, {})
    return database


def _modify_available_no_shrink(self, db_instance_identifier, db_kwargs):
    database = self.describe_db_instances(db_instance_identifier)[0]
    _require_available(database, "modify")
    wanted = db_kwargs.get("allocated_storage")
    if wanted is not None and int(wanted) < int(database.allocated_storage):
        raise rds_exceptions.RDSClientError(
            "InvalidParameterCombination",
            f"Invalid storage size for engine name {database.engine} and storage type {database.storage_type}: {wanted}")
    return _original_modify_instance(self, db_instance_identifier, db_kwargs)


def _snapshot_available(self, db_instance_identifier, db_snapshot_identifier, *args, **kwargs):
    database = self.databases.get(db_instance_identifier)
    if database is not None and kwargs.get("snapshot_type", "manual") == "manual":
        _require_available(database, "snapshot")
    return _original_create_snapshot(self, db_instance_identifier, db_snapshot_identifier, *args, **kwargs)


def _delete_instance_and_linger(self, db_instance_identifier, *args, **kwargs):
    database = self.databases.get(db_instance_identifier)
    deleted = _original_delete_instance(self, db_instance_identifier, *args, **kwargs)
    if database is not None:
        subnet_group = getattr(database, "db_subnet_group", None)
        _linger(*(database.vpc_security_group_ids or []),
                *(subnet.id for subnet in getattr(subnet_group, "_subnets", None) or []))
    return deleted


rds_models.DBInstance.status = property(_status, _set_status)
rds_models.DBInstance.endpoint = property(_endpoint)
_original_create_instance = patch(rds_models.RDSBackend, "create_db_instance", _create_instance_creating)
_original_modify_instance = patch(rds_models.RDSBackend, "modify_db_instance", _modify_available_no_shrink)
_original_create_snapshot = patch(rds_models.RDSBackend, "create_db_snapshot", _snapshot_available)
_original_delete_instance = patch(rds_models.RDSBackend, "delete_db_instance", _delete_instance_and_linger)

# --- RDS: how parameter changes apply -------------------------------------------------------

_pending_reboot = set()  # DB instance identifiers with parameter changes waiting for a reboot


def _modify_group_as_applied(self, db_parameter_group_name, db_parameter_group_parameters):
    group = self.db_parameter_groups.get(db_parameter_group_name)
    parameters = list(db_parameter_group_parameters)
    for parameter in parameters:
        known = group.parameters.get(parameter["ParameterName"], {}) if group else {}
        if parameter.get("ApplyMethod") == "immediate" and known.get("ApplyType") == "static":
            raise rds_exceptions.RDSClientError(
                "InvalidParameterCombination", "cannot use immediate apply method for static parameter")
    if any(parameter.get("ApplyMethod") == "pending-reboot" for parameter in parameters):
        _pending_reboot.update(identifier for identifier, database in self.databases.items()
                               if database.db_parameter_group_name == db_parameter_group_name)
    return _original_modify_group(self, db_parameter_group_name, parameters)


def _group_status(self):
    groups = _original_group_status.fget(self)
    for group in groups:
        group.ParameterApplyStatus = "pending-reboot" if self.db_instance_identifier in _pending_reboot else "in-sync"
    return groups


def _reboot_applies(self, db_instance_identifier):
    _pending_reboot.discard(db_instance_identifier)
    return _original_reboot(self, db_instance_identifier)


_original_modify_group = patch(rds_models.RDSBackend, "modify_db_parameter_group", _modify_group_as_applied)
_original_group_status = patch(rds_models.DBInstance, "db_parameter_group_status_list", property(_group_status))
_original_reboot = patch(rds_models.RDSBackend, "reboot_db_instance", _reboot_applies)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
