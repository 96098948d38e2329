"""Register a Debian-13-named image in the emulator (it holds no Debian images of its own)."""
import os
import sys

import boto3

directory = sys.argv[1]
port = open(os.path.join(directory, "port")).read().strip()
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}")
name = "debian-13-amd64-20261101-1234"
if ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]:
    print("present")
    sys.exit(0)
# A copy keeps the source image's architecture and virtualization type.
source = next(i for i in ec2.describe_images(Owners=["amazon"])["Images"]
              if i.get("Architecture") == "x86_64" and i.get("VirtualizationType") == "hvm")
image = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="eu-west-1", Name=name)
print(f"registered {image['ImageId']}")
