"""moto server as the rehearsal runs it: AWS's answers where moto leaves a field out, and a
state that survives a restart.

usage: moto_server.py -H 127.0.0.1 -p PORT     (moto.server's own arguments)

- AWS reports the gp3 baseline (3000 IOPS, 125 MiB/s below 400 GiB; 12000 / 500 from 400 GiB)
  for an RDS instance created without IOPS or throughput; moto reports neither, and
  amazon.aws.rds_instance then fails on its second run (KeyError 'StorageThroughput'). The
  instance is given AWS's values here, so the inventory can stay valid for AWS: no IOPS or
  throughput below 400 GiB, which AWS refuses.
- Persistence: moto_start.py sets MOTO_ENABLE_RECORDING and MOTO_RECORDER_FILEPATH, so every
  request is recorded; after a restart it replays the recording (with the seed it recorded
  first), which brings back the same resources with the same ids.
"""
import sys

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

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
