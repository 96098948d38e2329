"""route53_plan and route53_owned: Route 53's record sets (route53_info's snake_case, as AWS
returns them) read for the site's names and for a teardown."""

from ansible_collections.django_aws.deploy.plugins.filter.route53_owned import route53_owned
from ansible_collections.django_aws.deploy.plugins.filter.route53_plan import route53_plan
from ansible_collections.django_aws.deploy.plugins.module_utils.route53 import snake_record_sets

HOSTS = ["203.0.113.7", "203.0.113.8"]


def a_record(name, values, ttl=300, **extra):
    return {"name": name, "type": "A", "ttl": ttl, "resource_records": [{"value": v} for v in values], **extra}


ZONE = [
    {"name": "example.com.", "type": "NS", "ttl": 172800, "resource_records": [{"value": "ns-1.awsdns-01.org."}]},
    a_record("example.com.", ["203.0.113.8", "203.0.113.7"]),          # Route 53's order, not ours
    a_record("www.example.com.", ["198.51.100.1"]),                       # an old server
    {"name": "shop.example.com.", "type": "CNAME", "ttl": 300, "resource_records": [{"value": "shops.example.net."}]},
    {"name": "cdn.example.com.", "type": "A", "alias_target": {"dns_name": "d111.cloudfront.net.", "hosted_zone_id": "Z2FD"}},
    a_record("eu.example.com.", ["203.0.113.7"], set_identifier="eu", region="eu-west-1"),
    a_record("\\052.example.com.", ["203.0.113.7"]),                       # *.example.com, as Route 53 lists it
    a_record("mixed.example.com.", ["203.0.113.7", "192.0.2.1"]),
    a_record("ttl.example.com.", HOSTS, ttl=60),
]


def test_a_record_with_the_same_addresses_in_another_order_is_not_stale():
    assert route53_plan(ZONE, ["example.com", "Example.COM"], HOSTS, 300) == {"stale": [], "conflicts": []}


def test_missing_other_addresses_or_other_ttl_is_stale():
    plan = route53_plan(ZONE, ["new.example.com", "www.example.com", "ttl.example.com", "example.com"], HOSTS, 300)
    assert plan == {"stale": ["new.example.com", "www.example.com", "ttl.example.com"], "conflicts": []}


def test_cname_alias_and_routing_policy_are_conflicts():
    plan = route53_plan(ZONE, ["shop.example.com", "cdn.example.com", "eu.example.com", "www.example.com"], HOSTS, 300)
    assert plan == {"stale": ["www.example.com"], "conflicts": ["shop.example.com", "cdn.example.com", "eu.example.com"]}


def test_owned_records_lead_only_to_the_stack():
    owned = route53_owned(ZONE, HOSTS)
    assert owned == [{"name": "example.com", "ttl": 300, "values": HOSTS},
                     {"name": "*.example.com", "ttl": 300, "values": ["203.0.113.7"]},
                     {"name": "ttl.example.com", "ttl": 60, "values": HOSTS}]
    # Not the alias, not the routing-policy record, not the one that also leads elsewhere.
    assert route53_owned(ZONE, []) == []


def test_boto3_record_sets_read_alike():
    boto = [{"Name": "cdn.example.com.", "Type": "A", "AliasTarget": {"DNSName": "d111.cloudfront.net."}},
            {"Name": "www.example.com.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "203.0.113.7"}]}]
    assert route53_plan(snake_record_sets(boto), ["cdn.example.com", "www.example.com"], ["203.0.113.7"], 300) == \
        {"stale": [], "conflicts": ["cdn.example.com"]}
