# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Route 53 record sets read for the site's names: what to change (route53_plan) and what the
stack owns (route53_owned). Record sets in amazon.aws.route53_info's snake_case
(resource_record_sets) or as boto3 returns them (snake_record_sets turns those into the former);
shared by the route53_plan and route53_owned filters and aws_preflight_info."""

from __future__ import annotations

import re

OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def record_name(record_set):
    """A record set's name as a user writes it: Route 53's octal escapes (\\052 for '*') decoded,
    lower case, no trailing dot."""
    name = OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), record_set.get("name", ""))
    return name.lower().rstrip(".")


def plain_a(record_set):
    """An A record with values of its own: not an alias, no routing policy."""
    return (record_set.get("type") == "A" and not record_set.get("alias_target")
            and not record_set.get("set_identifier") and bool(record_set.get("resource_records")))


def values(record_set):
    return sorted(record["value"] for record in record_set.get("resource_records", []))


def route53_plan(record_sets, names, addresses, ttl):
    by_name = {}
    for record_set in record_sets:
        by_name.setdefault(record_name(record_set), []).append(record_set)
    stale, conflicts = [], []
    for name in names:
        found = by_name.get(name.lower().rstrip("."), [])
        if any(r.get("type") == "CNAME" or (r.get("type") == "A" and not plain_a(r)) for r in found):
            conflicts.append(name)
            continue
        current = [r for r in found if r.get("type") == "A"]
        if not (len(current) == 1 and values(current[0]) == sorted(addresses)
                and int(current[0].get("ttl") or -1) == int(ttl)):
            stale.append(name)
    return {"stale": stale, "conflicts": conflicts}


def route53_owned(record_sets, addresses):
    """The plain A records whose every value is one of `addresses`: {name, ttl, values} each."""
    ours = set(addresses)
    return [{"name": record_name(r), "ttl": r.get("ttl"), "values": values(r)}
            for r in record_sets if plain_a(r) and set(values(r)) <= ours]


def snake_record_sets(record_sets):
    """boto3's ResourceRecordSets in route53_info's snake_case keys (the ones read here)."""
    keys = {"Name": "name", "Type": "type", "TTL": "ttl", "SetIdentifier": "set_identifier", "AliasTarget": "alias_target"}
    return [{**{snake: r[camel] for camel, snake in keys.items() if camel in r},
             "resource_records": [{"value": v["Value"]} for v in r.get("ResourceRecords", [])]} for r in record_sets]
