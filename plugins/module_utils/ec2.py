# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared EC2 calls for django_aws.deploy modules (retried)."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


@AWSRetry.jittered_backoff()
def describe_images(client, owners, filters):
    """Every image of these owners matching these filters (a list of boto3 Filter dicts)."""
    return client.describe_images(Owners=owners, Filters=filters).get("Images", [])


def newest_image(images):
    """The image with the latest CreationDate (ties: the greatest name), or None."""
    if not images:
        return None
    return max(images, key=lambda image: (image.get("CreationDate", ""), image.get("Name", "")))
