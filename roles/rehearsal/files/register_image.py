"""Register a Debian 13 image in the AWS emulator, which holds no Debian images of its own.

usage: register_image.py ENDPOINT_URL REGION NAME      Prints "present" or "registered <id>".
"""
import sys

import boto3

endpoint, region, name = sys.argv[1:4]
ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint,
                   aws_access_key_id="testing", aws_secret_access_key="testing")
if ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]:
    print("present")
    sys.exit(0)
# A copy keeps the source image's architecture and virtualization type (register_image does not).
source = next(i for i in ec2.describe_images(Owners=["amazon"])["Images"]
              if i.get("Architecture") == "x86_64" and i.get("VirtualizationType") == "hvm")
image = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion=region, Name=name)
print(f"registered {image['ImageId']}")
