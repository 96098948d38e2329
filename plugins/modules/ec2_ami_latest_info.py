#!/usr/bin/python
# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ec2_ami_latest_info
short_description: Find the newest AMI of an owner whose name matches a pattern
version_added: 0.1.0
description:
  - Returns the single newest image (by creation date) owned by O(owners) whose name matches
    O(name), for one architecture, virtualization type and root device type.
  - The defaults find the newest official Debian 13 image for x86_64.
  - Fails when no image matches, so a play never launches an instance from an unexpected image.
author: django_aws.deploy maintainers (@django-aws)
options:
  owners:
    description: Owner account IDs (or V(amazon), V(self)).
    type: list
    elements: str
    default: ["136693071363"]
  name:
    description: Image name pattern (C(*) and C(?) wildcards).
    type: str
    default: debian-13-amd64-*
  architecture:
    description: CPU architecture.
    type: str
    choices: [x86_64, arm64]
    default: x86_64
  virtualization_type:
    description: Virtualization type.
    type: str
    choices: [hvm, paravirtual]
    default: hvm
  root_device_type:
    description:
      - Root device type; V(any) does not filter on it (an AWS emulator, for example,
        may report images with a type of its own).
    type: str
    choices: [ebs, instance-store, any]
    default: ebs
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
- name: Newest official Debian 13 image (x86_64)
  django_aws.deploy.ec2_ami_latest_info:
  register: ami

- name: Newest Debian 13 image for Graviton
  django_aws.deploy.ec2_ami_latest_info:
    name: debian-13-arm64-*
    architecture: arm64
  register: ami

- name: Newest Ubuntu 24.04 LTS image from Canonical
  django_aws.deploy.ec2_ami_latest_info:
    owners: ["099720109477"]
    name: ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*
  register: ami
"""

RETURN = r"""
image_id:
  description: The AMI ID.
  returned: success
  type: str
  sample: ami-0123456789abcdef0
name:
  description: The image name.
  returned: success
  type: str
  sample: debian-13-amd64-20260101-2345
creation_date:
  description: When the image was created.
  returned: success
  type: str
  sample: "2026-01-01T23:45:00.000Z"
architecture:
  description: CPU architecture.
  returned: success
  type: str
  sample: x86_64
owner_id:
  description: Owner account ID.
  returned: success
  type: str
  sample: "136693071363"
root_device_name:
  description: Device name of the root volume.
  returned: success
  type: str
  sample: /dev/xvda
description:
  description: The image description.
  returned: success
  type: str
  sample: Debian 13 (20260101-2345)
matches:
  description: How many images matched.
  returned: success
  type: int
  sample: 12
"""

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_images
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.django_aws.deploy.plugins.module_utils.ec2 import newest_image


def main():
    argument_spec = dict(
        owners=dict(type="list", elements="str", default=["136693071363"]),
        name=dict(type="str", default="debian-13-amd64-*"),
        architecture=dict(type="str", choices=["x86_64", "arm64"], default="x86_64"),
        virtualization_type=dict(type="str", choices=["hvm", "paravirtual"], default="hvm"),
        root_device_type=dict(type="str", choices=["ebs", "instance-store", "any"], default="ebs"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not params["owners"]:
        module.fail_json(msg="owners must name at least one owner")
    client = module.client("ec2")
    filters = [
        {"Name": "name", "Values": [params["name"]]},
        {"Name": "architecture", "Values": [params["architecture"]]},
        {"Name": "virtualization-type", "Values": [params["virtualization_type"]]},
        {"Name": "state", "Values": ["available"]},
    ]
    if params["root_device_type"] != "any":
        filters.append({"Name": "root-device-type", "Values": [params["root_device_type"]]})
    try:
        # amazon.aws's call: paginated, retried on throttling, errors as AnsibleEC2Error.
        images = describe_images(client, Owners=params["owners"], Filters=filters)
    except AnsibleEC2Error as e:
        malformed = e.exception is not None and "InvalidUserID.Malformed" in str(e.exception)
        message = f"Invalid owner in {params['owners']}" if malformed else "Could not describe images"
        if e.exception is not None:
            module.fail_json_aws(e.exception, msg=message)
        module.fail_json(msg=f"{message}: {e.message}")
    image = newest_image(images)
    if image is None:
        module.fail_json(
            msg=(f"No {params['architecture']} {params['virtualization_type']} "
                 f"{params['root_device_type']} image named '{params['name']}' "
                 f"owned by {', '.join(params['owners'])}"),
            matches=0)
    module.exit_json(
        changed=False,
        image_id=image["ImageId"],
        name=image.get("Name", ""),
        creation_date=image.get("CreationDate", ""),
        architecture=image.get("Architecture", ""),
        owner_id=image.get("OwnerId", ""),
        root_device_name=image.get("RootDeviceName", ""),
        description=image.get("Description", ""),
        matches=len(images),
    )


if __name__ == "__main__":
    main()
