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
- Persistence: moto_start.py sets MOTO_ENABLE_RECORDING and MOTO_RECORDER_FILEPATH, so every
  request is recorded; after a restart it replays the recording (with the seed it recorded
  first), which brings back the same resources with the same ids.
"""
import glob
import subprocess
import sys

from moto.rds import exceptions as rds_exceptions
from moto.rds import models as rds_models
from moto.server import main

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

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
