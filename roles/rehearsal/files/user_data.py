"""Print an emulated EC2 instance's user data, as the instance reads it from its metadata.

usage: user_data.py ENDPOINT_URL REGION INSTANCE_ID      Prints the user data (nothing if none).
"""
import base64
import sys

import boto3

endpoint, region, instance_id = sys.argv[1:4]
ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint,
                   aws_access_key_id="testing", aws_secret_access_key="testing")
value = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData").get("UserData", {}).get("Value")
if value:
    sys.stdout.write(base64.b64decode(value).decode())
