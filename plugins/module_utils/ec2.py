# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared EC2 helpers for django_aws.deploy modules (the calls themselves are amazon.aws's:
module_utils.ec2.describe_images is paginated, retried and maps errors to AnsibleEC2Error)."""

from __future__ import annotations


def newest_image(images):
    """The image with the latest CreationDate (ties: the greatest name), or None."""
    if not images:
        return None
    return max(images, key=lambda image: (image.get("CreationDate", ""), image.get("Name", "")))
