"""Bad input, as a hurried user would type it, refused before anything changes.

Each case runs one of the three playbooks with one wrong value (the rest valid) and asserts:
  1. the run fails;
  2. the failure message (the `msg` of the failed task, read from the json callback, not the
     whole output) names the variable the user set, and says what is wrong;
  3. nothing changed: the emulator holds nothing of the stack before and after (provision.yml,
     site.yml); the web host was never contacted (configure.yml: the host is unreachable, so a
     check that did not stop the run would show up as UNREACHABLE, not as our message).

The emulator is a real moto server (the rehearsal's launcher) on a free 127.0.0.1 port.
"""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

import playreport
import playrun

TOP = Path(__file__).resolve().parents[2]
STACK = "badin"
REGION = "eu-west-1"
DEMO_APP = str(TOP / "examples" / "demo_app")

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The emulator, a key pair, a project without manage.py, an unreachable web host."""
    tmp = tmp_path_factory.mktemp("badinput")
    state = tmp / "moto"
    state.mkdir()
    port = free_port()
    subprocess.run([sys.executable, str(TOP / "roles/rehearsal/files/moto_start.py"), str(state), str(port)],
                   check=True, capture_output=True, timeout=60)
    # The zone of the rehearsal inventory's domain, which the user has at Route 53 before the stack
    # (site.yml's emulator tasks create it; provision.yml alone does not).
    # A name there is already a CNAME (a hosted shop, say).
    route53 = boto3.client("route53", region_name=REGION, endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id="testing",
                           aws_secret_access_key="testing")
    zone_id = route53.create_hosted_zone(Name="rehearsal.test", CallerReference="badinput")["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": "shop.rehearsal.test", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "shops.example.net"}]}}]})
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp / "id")], check=True)
    (tmp / "notakey.pub").write_text("my laptop key, see the wiki\n")
    (tmp / "project").mkdir()
    (tmp / "project" / "settings.py").write_text("DEBUG = False\n")
    # The checkout's settings with the json callback alone on stdout (no timing lines).
    cfg = tmp / "ansible.cfg"
    cfg.write_text(f"[defaults]\ncollections_path = {TOP / '.collections'}\nstdout_callback = ansible.posix.json\n"
                   "interpreter_python = auto_silent\nretry_files_enabled = False\n")
    inventory = tmp / "hosts.yml"
    inventory.write_text(json.dumps({"all": {"children": {"django_web": {"hosts": {"unreachable-web": {
        "ansible_host": "127.0.0.1", "ansible_port": free_port(), "ansible_user": "nobody",
        "ansible_ssh_common_args": "-o ConnectTimeout=2"}}}}}}))
    yield {"tmp": tmp, "cfg": cfg, "port": port, "http_port": free_port(), "ssh_port": free_port(),
           "endpoint": f"http://127.0.0.1:{port}", "inventory": inventory}
    subprocess.run(["pkill", "--pidfile", str(state / "pid"), "--full", "moto.server"], check=False)


def stack_resources(endpoint):
    """Everything of the stack the emulator holds, by kind."""
    kw = {"region_name": REGION, "endpoint_url": endpoint, "aws_access_key_id": "testing",
          "aws_secret_access_key": "testing"}
    ec2, rds, ssm = boto3.client("ec2", **kw), boto3.client("rds", **kw), boto3.client("ssm", **kw)
    tagged = [{"Name": "tag:django_aws:stack", "Values": [STACK]}]
    return {
        "vpcs": ec2.describe_vpcs(Filters=tagged)["Vpcs"],
        "subnets": ec2.describe_subnets(Filters=tagged)["Subnets"],
        "groups": ec2.describe_security_groups(Filters=tagged)["SecurityGroups"],
        "instances": [i for r in ec2.describe_instances(Filters=tagged)["Reservations"] for i in r["Instances"]],
        "keys": [k for k in ec2.describe_key_pairs()["KeyPairs"] if k["KeyName"].startswith(STACK)],
        "dbs": [d for d in rds.describe_db_instances()["DBInstances"] if d["DBInstanceIdentifier"].startswith(STACK)],
        "params": ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Option": "BeginsWith",
                                                             "Values": [f"/{STACK}/"]}])["Parameters"],
    }


def run_playbook(world, playbook, extra, inventory=None):
    env = {**os.environ, "ANSIBLE_CONFIG": str(world["cfg"]), "ANSIBLE_NOCOLOR": "1", "DEMO_PORT": ""}
    args = ["ansible-playbook", "-i", str(inventory or TOP / "inventories" / "rehearsal"),
            str(TOP / "playbooks" / playbook), "-e", json.dumps(extra)]
    proc = playrun.run(args, env=env, cwd=TOP, timeout=300, merge_stderr=False)
    try:
        report = playreport.json_report(proc.stdout)
    except ValueError:
        pytest.fail(f"no json report (rc={proc.rc}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    return proc.rc, report


def aws_base(world, case):
    return {"django_aws_stack": STACK, "django_aws_endpoint_url": world["endpoint"],
            "rehearsal_moto_port": world["port"],
            "rehearsal_http_port": world["http_port"], "rehearsal_ssh_port": world["ssh_port"],
            "ec2_host_public_key_file": str(world["tmp"] / "id.pub"), "rehearsal_state_dir": str(world["tmp"] / f"state-{case}")}


def host_base(world):
    return {"django_app_source_path": DEMO_APP, "django_app_settings_module": "demo.settings",
            "django_app_wsgi_module": "demo.wsgi:application", "django_app_allowed_hosts": ["www.example.com"],
            "django_app_database_url": "postgres://app:secret@db.example.com:5432/app"}


# (id, playbook, the wrong settings, the variable the message must name, words it must hold)
AWS_CASES = [
    ("stack-capitals", {"django_aws_stack": "My_Stack"}, "django_aws_stack", "lower-case"),
    # RDS identifiers: AWS refuses these only after the VPC and the SSM password exist.
    ("stack-trailing-hyphen", {"django_aws_stack": "app-"}, "django_aws_stack", "not ending with '-'"),
    ("stack-double-hyphen", {"django_aws_stack": "my--app"}, "django_aws_stack", "single '-'"),
    ("region-empty", {"django_aws_region": ""}, "django_aws_region", "missing"),
    ("region-typo", {"django_aws_region": "eu-westt-1"}, "django_aws_region", "not an AWS region"),
    ("vpc-too-small", {"aws_network_vpc_cidr": "10.20.0.0/22"}, "aws_network_vpc_cidr", "cannot hold the default subnets"),
    ("vpc-no-prefix", {"aws_network_vpc_cidr": "10.20.0.0"}, "aws_network_vpc_cidr", "network block"),
    ("vpc-too-big", {"aws_network_vpc_cidr": "10.0.0.0/8"}, "aws_network_vpc_cidr", "/16 to /24"),
    ("subnets-string", {"aws_network_public_subnet_cidrs": "10.20.0.0/24,10.20.1.0/24"},
     "aws_network_public_subnet_cidrs", "must be a list"),
    ("subnets-one", {"aws_network_private_subnet_cidrs": ["10.20.10.0/24"]}, "aws_network_private_subnet_cidrs", "two blocks"),
    ("subnets-outside", {"aws_network_public_subnet_cidrs": ["10.30.0.0/24", "10.30.1.0/24"]},
     "aws_network_public_subnet_cidrs", "inside aws_network_vpc_cidr"),
    ("subnets-overlap", {"aws_network_public_subnet_cidrs": ["10.20.0.0/24", "10.20.1.0/24"],
                         "aws_network_private_subnet_cidrs": ["10.20.1.0/25", "10.20.11.0/24"]},
     "aws_network_private_subnet_cidrs", "must not overlap"),
    ("subnets-hit-derived", {"aws_network_public_subnet_cidrs": ["10.20.10.0/24", "10.20.11.0/24"]},
     "aws_network_public_subnet_cidrs", "derived private blocks"),
    ("private-outside", {"aws_network_private_subnet_cidrs": ["10.30.10.0/24", "10.30.11.0/24"]},
     "aws_network_private_subnet_cidrs", "inside aws_network_vpc_cidr"),
    ("private-hits-derived", {"aws_network_private_subnet_cidrs": ["10.20.0.0/24", "10.20.12.0/24"]},
     "aws_network_private_subnet_cidrs", "must not overlap"),
    ("public-overlap-itself", {"aws_network_public_subnet_cidrs": ["10.20.0.0/23", "10.20.1.0/24"]},
     "aws_network_public_subnet_cidrs", "must not overlap"),
    ("subnets-not-cidr", {"aws_network_public_subnet_cidrs": ["10.20.0.0/24", "public-b"]},
     "aws_network_public_subnet_cidrs", "IPv4 network blocks"),
    ("ssh-string", {"aws_network_ssh_cidrs": "203.0.113.7/32"}, "aws_network_ssh_cidrs", "must be a list"),
    ("ssh-words", {"aws_network_ssh_cidrs": ["my office"]}, "aws_network_ssh_cidrs", "IPv4 network blocks"),
    ("ssh-nobody", {"aws_network_ssh_cidrs": []}, "aws_network_ssh_cidrs", "would wait"),
    ("ssh-anywhere", {"aws_network_ssh_cidrs": ["0.0.0.0/0"]}, "aws_network_ssh_cidrs", "narrow ranges"),
    ("ssh-half-the-internet", {"aws_network_ssh_cidrs": ["203.0.113.7/32", "0.0.0.0/1"]}, "aws_network_ssh_cidrs",
     "whole internet"),
    ("ssh-anywhere-netmask", {"aws_network_ssh_cidrs": ["0.0.0.0/0.0.0.0"]}, "aws_network_ssh_cidrs", "narrow ranges"),
    ("zones-other-region", {"aws_network_availability_zones": ["us-east-1a", "us-east-1b"]},
     "aws_network_availability_zones", "zones of eu-west-1"),
    ("zones-one", {"aws_network_availability_zones": ["eu-west-1a"]}, "aws_network_availability_zones", "two different zones"),
    ("zones-same", {"aws_network_availability_zones": ["eu-west-1a", "eu-west-1a"]}, "aws_network_availability_zones",
     "two different zones"),
    ("zones-string", {"aws_network_availability_zones": "eu-west-1a,eu-west-1b"}, "aws_network_availability_zones",
     "list of two"),
    ("zone-missing", {"aws_network_availability_zones": ["eu-west-1a", "eu-west-1z"]}, "aws_network_availability_zones",
     "not an available zone"),
    ("db-class-typo", {"rds_postgres_instance_class": "db.t4g.mirco"}, "rds_postgres_instance_class", "not a DB instance class"),
    ("db-class-ec2", {"rds_postgres_instance_class": "t4g.micro"}, "rds_postgres_instance_class", "must start with 'db.'"),
    ("db-version-float", {"rds_postgres_engine_version": 17.1}, "rds_postgres_engine_version", "quote it"),
    ("db-version-words", {"rds_postgres_engine_version": "latest"}, "rds_postgres_engine_version", "must look like"),
    ("db-iops-small", {"rds_postgres_iops": 3000}, "rds_postgres_iops", "below 400 GiB"),
    ("db-throughput-small", {"rds_postgres_storage_throughput": 125}, "rds_postgres_storage_throughput", "below 400 GiB"),
    ("db-iops-low-big", {"rds_postgres_allocated_storage": 500, "rds_postgres_max_allocated_storage": 1000,
                         "rds_postgres_iops": 3000}, "rds_postgres_iops", "12000 to 64000"),
    ("db-storage-small", {"rds_postgres_allocated_storage": 10}, "rds_postgres_allocated_storage", "20 to 65536"),
    ("db-storage-max", {"rds_postgres_max_allocated_storage": 10}, "rds_postgres_max_allocated_storage", "not be below"),
    ("db-backups-zero", {"rds_postgres_backup_retention_days": 0}, "rds_postgres_backup_retention_days", "1 to 35"),
    ("db-log-exports-mysql", {"rds_postgres_cloudwatch_logs_exports": ["slowquery"]}, "rds_postgres_cloudwatch_logs_exports",
     "one or more of"),
    ("db-log-exports-string", {"rds_postgres_cloudwatch_logs_exports": "postgresql"}, "rds_postgres_cloudwatch_logs_exports",
     "must be a list"),
    ("db-force-ssl-parameter", {"rds_postgres_parameters": {"rds.force_ssl": "0"}}, "rds_postgres_parameters",
     "set rds_postgres_force_ssl"),
    ("db-user-hyphen", {"rds_postgres_master_username": "db-admin"}, "rds_postgres_master_username", "identifier"),
    ("db-name-hyphen", {"rds_postgres_db_name": "my-app"}, "rds_postgres_db_name", "identifier"),
    ("db-param-relative", {"rds_postgres_password_parameter": "rds/password"}, "rds_postgres_password_parameter", "'/'"),
    ("db-app-is-master", {"rds_postgres_app_username": "dbadmin"}, "rds_postgres_app_username", "must differ"),
    ("db-app-user-capitals", {"rds_postgres_app_username": "Django"}, "rds_postgres_app_username", "lower-case identifier"),
    ("db-identifier", {"rds_postgres_identifier": "My_DB"}, "rds_postgres_identifier", "lower-case"),
    ("db-ca-bundle-http", {"rds_postgres_ca_bundle_url": "http://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"},
     "rds_postgres_ca_bundle_url", "must be an https:// URL"),
    ("db-ca-bundle-sha-prefixed", {"rds_postgres_ca_bundle_sha256": "sha256:" + "ab" * 32}, "rds_postgres_ca_bundle_sha256",
     "64 hexadecimal digits"),
    ("type-typo", {"ec2_host_instance_type": "t3.smal"}, "ec2_host_instance_type", "instance type"),
    ("type-unknown", {"ec2_host_instance_type": "t3.huge"}, "ec2_host_instance_type", "instance type"),
    ("arm-type-x86", {"ec2_host_instance_type": "t4g.small"}, "ec2_host_architecture", "runs arm64 only"),
    ("x86-type-arm", {"ec2_host_architecture": "arm64"}, "ec2_host_architecture", "runs x86_64 only"),
    ("arch-choice", {"ec2_host_architecture": "amd64"}, "ec2_host_architecture", "one of"),
    ("count-zero", {"ec2_host_count": 0}, "ec2_host_count", "1 to 20"),
    ("count-words", {"ec2_host_count": "two"}, "ec2_host_count", "int"),
    ("volume-small", {"ec2_host_volume_size": 4}, "ec2_host_volume_size", "8 to 16384"),
    ("key-private", {"ec2_host_public_key_file": "{tmp}/id"}, "ec2_host_public_key_file", "PRIVATE key"),
    ("key-text", {"ec2_host_public_key_file": "{tmp}/notakey.pub"}, "ec2_host_public_key_file", "not an OpenSSH public key"),
    ("key-missing", {"ec2_host_public_key_file": "{tmp}/nope.pub"}, "ec2_host_public_key_file", "not a file"),
    ("ami-name", {"ec2_host_ami_id": "debian-13"}, "ec2_host_ami_id", "image id like"),
    ("ami-missing", {"ec2_host_ami_id": "ami-0123456789abcdef0"}, "ec2_host_ami_id", "not an image"),
    ("os-choice", {"ec2_host_os": "debian12"}, "ec2_host_os", "one of"),
    # The site's records in Route 53: the names must be in the zone, the zone one of the account's.
    ("dns-zone-other", {"django_aws_route53_zone": "example.org"}, "django_aws_domain", "must be in django_aws_route53_zone"),
    ("dns-zone-url", {"django_aws_route53_zone": "https://example.org/"}, "django_aws_route53_zone", "hosted zone like"),
    ("dns-zone-missing", {"django_aws_route53_zone": "example.org", "django_aws_domain": "www.example.org"},
     "django_aws_route53_zone", "no public Route 53 hosted zone"),
    ("dns-name-trailing-dot", {"django_aws_domain": "www.rehearsal.test."}, "django_aws_domain", "without a trailing dot"),
    ("dns-name-is-cname", {"django_aws_domain_aliases": ["shop.rehearsal.test"]}, "django_aws_domain",
     "include shop.rehearsal.test, which already has a CNAME"),
]

SITE_CASES = [
    ("http-port-high", {"rehearsal_http_port": 70000}, "rehearsal_http_port", "1 to 65515"),
    ("ssh-port-zero", {"rehearsal_ssh_port": 0}, "rehearsal_ssh_port", "1 to 65515"),
    ("moto-port-high", {"rehearsal_moto_port": 99999}, "rehearsal_moto_port", "1 to 65535"),
    ("site-stack", {"django_aws_stack": "x"}, "django_aws_stack", "lower-case"),
    ("site-vpc", {"aws_network_vpc_cidr": "10.20.0.0/22"}, "aws_network_vpc_cidr", "cannot hold"),
    # The site's domain (HTTPS): checked before the emulator starts; plain HTTP on public addresses
    # refused unless allowed.
    ("domain-url", {"django_aws_domain": "https://www.example.com"}, "django_aws_domain", "DNS name"),
    ("domain-aliases-alone", {"django_aws_domain": "", "django_aws_allow_plain_http": True, "django_aws_domain_aliases": ["example.com"]},
     "django_aws_domain_aliases", "needs django_aws_domain"),
    ("plain-http", {"django_aws_domain": "", "django_aws_allow_plain_http": False}, "django_aws_domain", "plain HTTP"),
    ("domain-two-hosts", {"ec2_host_count": 2}, "ec2_host_count", "must be 1 with django_aws_domain"),
]

HOST_CASES = [
    ("hosts-string", {"django_app_allowed_hosts": "www.example.com"}, "django_app_allowed_hosts", "must be a list"),
    ("hosts-url", {"django_app_allowed_hosts": ["https://www.example.com/"]}, "django_app_allowed_hosts", "host names"),
    ("hosts-empty", {"django_app_allowed_hosts": []}, "django_app_allowed_hosts", "must not be empty"),
    ("origins-string", {"django_app_csrf_trusted_origins": "https://www.example.com"}, "django_app_csrf_trusted_origins",
     "must be a list"),
    ("origins-no-scheme", {"django_app_csrf_trusted_origins": ["www.example.com"]}, "django_app_csrf_trusted_origins",
     "origins like"),
    ("server-name-injection", {"nginx_proxy_server_names": ["example.com; return 200"]}, "nginx_proxy_server_names",
     "host names"),
    ("server-names-string", {"nginx_proxy_server_names": "example.com"}, "nginx_proxy_server_names", "non-empty list"),
    ("nginx-port-high", {"nginx_proxy_http_port": 70000}, "nginx_proxy_http_port", "1 to 65535"),
    ("nginx-tls-no-cert", {"nginx_proxy_tls_enabled": True}, "nginx_proxy_tls_certificate",
     "and nginx_proxy_tls_certificate_key are required"),
    ("nginx-tls-no-key", {"nginx_proxy_tls_enabled": True, "nginx_proxy_tls_certificate": "/etc/ssl/c.pem"},
     "nginx_proxy_tls_certificate_key", "is required"),
    ("nginx-tls-same-port", {"nginx_proxy_tls_enabled": True, "nginx_proxy_tls_certificate": "/etc/ssl/c.pem",
                             "nginx_proxy_tls_certificate_key": "/etc/ssl/k.pem", "nginx_proxy_tls_port": 80},
     "nginx_proxy_tls_port", "must differ"),
    ("nginx-header-injection", {"nginx_proxy_security_headers": {"X-Test": 'a" always; add_header Evil "1'}},
     "nginx_proxy_security_headers", "without double quotes"),
    ("nginx-socket-relative", {"nginx_proxy_upstream_socket": "run/gunicorn.sock"}, "nginx_proxy_upstream_socket",
     "absolute path"),
    ("nginx-body-size", {"nginx_proxy_client_max_body_size": "10 MB"}, "nginx_proxy_client_max_body_size", "size like"),
    ("source-no-manage", {"django_app_source_path": "{tmp}/project"}, "django_app_source_path", "no manage.py"),
    ("source-missing", {"django_app_source_path": "{tmp}/nowhere"}, "django_app_source_path", "does not exist"),
    ("settings-typo", {"django_app_settings_module": "demo.setings"}, "django_app_settings_module", "is not in"),
    ("wsgi-no-callable", {"django_app_wsgi_module": "demo.wsgi"}, "django_app_wsgi_module", "mysite.wsgi:application"),
    ("app-name-spaces", {"django_app_name": "My App"}, "django_app_name", "lower-case"),
    ("db-url-hash", {"django_app_database_url": "postgres://app:pa#ss@db.example.com:5432/app"},
     "django_app_database_url", "percent-encoded"),
    ("db-url-at", {"django_app_database_url": "postgres://app:p@ss@db.example.com:5432/app"},
     "django_app_database_url", "percent-encoded"),
    ("db-url-mysql", {"django_app_database_url": "mysql://app:secret@db.example.com/app"},
     "django_app_database_url", "postgres://"),
    ("env-bad-name", {"django_app_environment": {"MY-VAR": "1"}}, "django_app_environment", "variable names"),
    ("app-user-spaces", {"django_app_user": "Web User"}, "django_app_user", "Linux user name"),
    ("releases-one", {"django_app_releases_kept": 1}, "django_app_releases_kept", "at least 2"),
    ("silenced-string", {"django_app_check_deploy_silenced": "security.W006"}, "django_app_check_deploy_silenced",
     "must be a list"),
    ("silenced-not-an-id", {"django_app_check_deploy_silenced": ["W006"]}, "django_app_check_deploy_silenced",
     "Django check ids"),
    ("env-names-unknown", {"django_app_env_names": {"SECRET": ["DJANGO_SECRET_KEY"]}}, "django_app_env_names",
     "must map the role's names"),
    ("env-names-string", {"django_app_env_names": {"SECRET_KEY": "DJANGO_SECRET_KEY"}}, "django_app_env_names",
     "values must be lists"),
    ("env-names-clash", {"django_app_env_names": {"SECRET_KEY": ["DATABASE_URL"]}}, "django_app_env_names",
     "must be new ones"),
    ("overlay-keep-typo", {"django_app_settings_overlay_keep": ["LOGGIN"]}, "django_app_settings_overlay_keep",
     "settings the overlay sets"),
    ("overrides-lower-case", {"django_app_settings_overrides": {"debug": True}}, "django_app_settings_overrides",
     "setting names"),
    ("extra-apps-path", {"django_app_installed_apps_extra": ["apps/catalog"]}, "django_app_installed_apps_extra",
     "dotted app names"),
    ("shared-path-escapes", {"django_app_shared_paths": ["../etc"]}, "django_app_shared_paths", "relative paths inside"),
    ("shared-path-string", {"django_app_shared_paths": "media"}, "django_app_shared_paths", "must be a list"),
    ("shared-path-nested", {"django_app_shared_paths": ["var", "var/cache"]}, "django_app_shared_paths", "inside another"),
    ("shared-path-slash", {"django_app_shared_paths": ["media/"]}, "django_app_shared_paths", "trailing /"),
    ("env-names-null", {"django_app_env_names": {"SECRET_KEY": [None]}}, "django_app_env_names", "letters, digits"),
    ("hooks-null", {"django_app_hooks": {"post_migrate": [None]}}, "django_app_hooks", "management command line"),
    ("programs-no-command", {"django_app_programs": [{"name": "worker"}]}, "django_app_programs", "needs a command"),
    ("programs-same-name", {"django_app_programs": [{"name": "w", "command": "celery worker"}, {"name": "w", "command": "rq worker"}]},
     "django_app_programs", "same name"),
    ("timers-manage-py", {"django_app_timers": [{"name": "s", "command": "python manage.py clearsessions", "on_calendar": "daily"}]},
     "django_app_timers", "management command line"),
    ("timers-no-calendar", {"django_app_timers": [{"name": "s", "command": "clearsessions"}]}, "django_app_timers",
     "needs on_calendar"),
    ("health-status-404", {"django_app_healthcheck_status": [200, 404]}, "django_app_healthcheck_status", "200 to 399"),
    ("hooks-unknown-point", {"django_app_hooks": {"post_deploy": ["clearsessions"]}}, "django_app_hooks",
     "must map build, pre_migrate"),
    # Issue 28: a second value for a name the role writes; static and upload paths the role owns.
    ("env-debug-twice", {"django_app_environment": {"DEBUG": "False"}}, "django_app_environment",
     "DEBUG: set django_app_debug"),
    ("overlay-keep-static-root", {"django_app_settings_overlay_keep": ["STATIC_ROOT"]}, "django_app_settings_overlay_keep",
     "must not keep STATIC_ROOT"),
    ("overrides-media-root", {"django_app_settings_overrides": {"MEDIA_ROOT": "/srv/uploads"}}, "django_app_settings_overrides",
     "must not set STATIC_ROOT or MEDIA_ROOT"),
    ("media-root-in-releases", {"django_app_media_root": "/srv/django/releases/media"}, "django_app_media_root",
     "directory of its own"),
    ("static-root-relative", {"django_app_static_root": "static"}, "django_app_static_root", "absolute directory"),
    ("secret-fallbacks-string", {"django_app_secret_key_fallbacks": "my-old-key"}, "django_app_secret_key_fallbacks",
     "must be a list"),
    ("env-secret-fallbacks-twice", {"django_app_environment": {"SECRET_KEY_FALLBACKS": "k"}}, "django_app_environment",
     "set django_app_secret_key_fallbacks"),
    ("hooks-build-once", {"django_app_hooks": {"build": [{"command": "compress", "once": True}]}}, "django_app_hooks",
     "'once' does not apply"),
    ("hooks-build-without-collectstatic", {"django_app_hooks": {"build": ["compilemessages"]}, "django_app_collectstatic": False},
     "django_app_hooks", "need django_app_collectstatic: true"),
    ("hooks-string", {"django_app_hooks": {"post_migrate": "clearsessions"}}, "django_app_hooks", "must be lists"),
    ("hooks-manage-py", {"django_app_hooks": {"post_migrate": ["python manage.py clearsessions"]}}, "django_app_hooks",
     "management command line"),
    ("maintenance-exempt-string", {"nginx_proxy_maintenance_exempt": "/healthz"}, "nginx_proxy_maintenance_exempt",
     "list of URL paths"),
    ("program-name", {"supervisor_programs": [{"name": "bad name", "command": "/bin/true"}]}, "supervisor_programs",
     "name may hold only"),
    ("program-relative", {"supervisor_programs": [{"name": "worker", "command": "celery worker"}]}, "supervisor_programs",
     "absolute path"),
    ("programs-string", {"supervisor_programs": "worker"}, "supervisor_programs", "supervisor_programs"),
    ("server-names-miss-the-host", {"nginx_proxy_server_names": ["other.example.com"]}, "nginx_proxy_server_names",
     "must include the health check's host"),
    ("domain-aliases-string", {"django_aws_domain": "www.example.com", "django_aws_domain_aliases": "example.com"},
     "django_aws_domain_aliases", "list of DNS names"),
    ("acme-wildcard", {"nginx_proxy_acme_enabled": True, "nginx_proxy_acme_domains": ["*.example.com"]},
     "nginx_proxy_acme_domains", "no wildcards"),
    ("acme-email", {"nginx_proxy_acme_email": "me at example.com"}, "nginx_proxy_acme_email", "e-mail address"),
    ("acme-directory-http", {"nginx_proxy_acme_directory_url": "http://acme.example.com/directory"},
     "nginx_proxy_acme_directory_url", "https://"),
    ("acme-and-own-certificate", {"nginx_proxy_acme_enabled": True, "nginx_proxy_acme_domains": ["www.example.com"],
                                  "nginx_proxy_tls_enabled": True, "nginx_proxy_tls_certificate": "/etc/ssl/c.pem",
                                  "nginx_proxy_tls_certificate_key": "/etc/ssl/k.pem"},
     "nginx_proxy_acme_enabled", "exclude each other"),
    # The local Redis (django_aws_redis: true): checked with the other host roles, before any change.
    ("redis-port", {"django_aws_redis": True, "redis_port": 0}, "redis_port", "port from 1 to 65535"),
    ("redis-password-short", {"django_aws_redis": True, "redis_password": "hunter2"}, "redis_password", "at least 16"),
    ("redis-maxmemory", {"django_aws_redis": True, "redis_maxmemory": "half"}, "redis_maxmemory", "a size"),
]

ALL = ([("provision.yml",) + case for case in AWS_CASES] + [("site.yml",) + case for case in SITE_CASES]
       + [("configure.yml",) + case for case in HOST_CASES])


def fill(value, world):
    return json.loads(json.dumps(value).replace("{tmp}", str(world["tmp"])))


@pytest.mark.parametrize("playbook, case, wrong, variable, words", ALL, ids=[f"{c[0][:-4]}-{c[1]}" for c in ALL])
def test_bad_input_is_refused_naming_the_variable(world, playbook, case, wrong, variable, words):
    if playbook == "configure.yml":
        extra, inventory = {**host_base(world), **fill(wrong, world)}, world["inventory"]
    else:
        extra, inventory = {**aws_base(world, case), **fill(wrong, world)}, None
    before = stack_resources(world["endpoint"])
    rc, report = run_playbook(world, playbook, extra, inventory)
    messages = playreport.failure_messages(report)
    assert rc != 0, f"{case}: accepted"
    assert messages, f"{case}: failed without a message: {json.dumps(report)[-1500:]}"
    # The first failure is ours: about the variable the user set (the first one it names, not
    # merely somewhere in the text) and saying what is wrong; assert_about also shows that the
    # same message about another variable would fail the check.
    playreport.assert_about(messages[0], variable, words)
    # One message per rule: one mistake, one message.
    assert len(messages) == 1, f"{case}: one message per rule expected, got {messages}"
    # Nothing changed.
    assert stack_resources(world["endpoint"]) == before == {k: [] for k in before}, case
    stats = report.get("stats", {})
    assert all(host.get("changed", 0) == 0 and host.get("unreachable", 0) == 0 for host in stats.values()), stats
    assert not (world["tmp"] / f"state-{case}").exists(), f"{case}: the rehearsal's state directory was created"


def test_the_table_is_large_enough():
    per_playbook = {name: sum(1 for case in ALL if case[0] == name) for name in ("provision.yml", "site.yml", "configure.yml")}
    assert sum(per_playbook.values()) >= 45 and all(per_playbook.values()), per_playbook
