"""The rehearsal end to end, on the galaxy path.

Builds the collection, installs the tarball offline into a temporary collections path and runs
`ansible-playbook django_aws.deploy.site -i inventories/rehearsal` from that install only (its
own ansible.cfg, not the checkout's): the stack from nothing, checks over HTTPS from the
controller (the site's domain, a certificate from the ACME stand-in), a second run with changed=0, then the teardown, after which the emulator holds
nothing of the stack and no container, network or emulator remains. Before that, the failures
a user meets first must read as one line, not a traceback.

The stack, ports and state directory are the test's own (not make demo's), so both can coexist.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import boto3
import playreport
import playrun
import pytest
import requests
import siteprobe
from siteprobe import served_as

TOP = Path(__file__).resolve().parents[2]
STACK = "e2e"
REGION = "eu-west-1"
# Where rds_postgres installs the CA bundle the web hosts verify the database with.
RDS_CA_BUNDLE = "/etc/ssl/rds/ca-bundle.pem"
# The site's domain in the rehearsal (inventories/rehearsal: <stack>.rehearsal.test), which the first
# web host answers on the rehearsal's network.
DOMAIN = f"{STACK}.rehearsal.test"
# certbot's files for nginx_proxy's site on the web host.
RENEWAL_CONF = "/etc/letsencrypt/renewal/django.conf"

pytestmark = pytest.mark.slow


def free_port(avoid=()):
    """A free port whose next one is not a port in avoid nor the next of one (the second web host
    publishes SSH and HTTP one above the first's)."""
    taken = {port + offset for port in avoid for offset in (0, 1)}
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if not {port, port + 1} & taken:
            return port


class Rehearsal:
    """The installed collection and the ansible-playbook runs made from it."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.collections = workdir / "collections"
        self.installed = self.collections / "ansible_collections" / "django_aws" / "deploy"
        self.inventory = self.installed / "inventories" / "rehearsal"
        self.state_dir = workdir / "state"
        self.outputs = {}
        self.secrets = {}
        self.started = time.time()
        self.files_before_final = {}
        self.moto_port = free_port()
        self.http_port = free_port({self.moto_port})
        self.ssh_port = free_port({self.moto_port, self.http_port})
        self.https_port = free_port({self.moto_port, self.http_port, self.ssh_port})
        # The site by its domain over HTTPS (served_as, for the whole module), and nginx's plain HTTP.
        self.url = f"https://{DOMAIN}:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.acme_roots = self.state_dir / "acme" / "roots.pem"
        self.endpoint = f"http://127.0.0.1:{self.moto_port}"
        cfg = workdir / "ansible.cfg"
        # What a user's own ansible.cfg might hold; nothing from the checkout's.
        cfg.write_text("[defaults]\ncallbacks_enabled = ansible.posix.profile_tasks\n"
                       "interpreter_python = auto_silent\nforks = 10\n")
        self.env = {**os.environ, "ANSIBLE_CONFIG": str(cfg), "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
                    "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
        self.env.pop("DEMO_PORT", None)
        self.env.pop("DEMO_HTTPS_PORT", None)
        self.extra = {"django_aws_stack": STACK, "rehearsal_moto_port": self.moto_port,
                      "rehearsal_http_port": self.http_port, "rehearsal_ssh_port": self.ssh_port,
                      "rehearsal_https_port": self.https_port,
                      "rehearsal_state_dir": str(self.state_dir)}

    def install(self):
        dist = self.workdir / "dist"
        subprocess.run(["ansible-galaxy", "collection", "build", "--output-path", str(dist), str(TOP)],
                       check=True, env=self.env, cwd=self.workdir, capture_output=True)
        tarball = next(dist.glob("django_aws-deploy-*.tar.gz"))
        subprocess.run(["ansible-galaxy", "collection", "install", "--offline", "-p", str(self.collections),
                        str(tarball)], check=True, env=self.env, cwd=self.workdir, capture_output=True)
        assert (self.installed / "MANIFEST.json").is_file()

    def play(self, playbook, extra=None, inventory=None, env=None, name=None, verbosity=0, cli=()):
        """Run an installed playbook; return (rc, output); keep the log under tests/output and
        the output in self.outputs (the secrets check reads every run's)."""
        args = ["ansible-playbook", "-i", str(inventory or self.inventory), f"django_aws.deploy.{playbook}",
                "-e", json.dumps({**self.extra, **(extra or {})})] + (["-" + "v" * verbosity] if verbosity else []) + list(cli)
        # env: variables to set; None removes one.
        run_env = {k: v for k, v in {**self.env, **(env or {})}.items() if v is not None}
        log = TOP / "tests" / "output" / f"e2e-{name or playbook}.log"
        result = playrun.run(args, env=run_env, cwd=self.workdir, log=log)
        self.outputs[name or playbook] = result.output
        print(f"e2e: {name or playbook}: rc={result.rc} in {result.seconds:.1f}s (log {log})")
        return result.rc, result.output

    def teardown(self, name="teardown", verbosity=0, **extra):
        return self.play("teardown", {"django_aws_teardown_confirm": STACK, "django_aws_lift_deletion_protection": True,
                                      "django_aws_skip_final_snapshot": True, **extra}, name=name, verbosity=verbosity)

    def client(self, service):
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint,
                            aws_access_key_id="testing", aws_secret_access_key="testing")


def recap(output):
    """{host: counts} from the PLAY RECAP; fails loudly when there is none (coloured output included)."""
    return playreport.recap(output)


def stack_containers():
    names = subprocess.run(["podman", "ps", "--all", "--filter", f"label=django_aws.stack={STACK}",
                            "--format", "{{.Names}}"], check=True, capture_output=True, text=True).stdout
    return names.split()


def one_line_failure(output, expected):
    """The run failed once, with one message on one line that matches `expected`: one `fatal:`
    result (ansible's own prefix) whose msg has no line break, one [ERROR] line, no traceback."""
    assert "Traceback (most recent call last)" not in output, output[-3000:]
    fatal = playreport.fatal_messages(output)
    assert len(fatal) == 1, f"one failure expected: {fatal}"
    message = fatal[0][1]
    assert "\n" not in message.strip(), f"not one line: {message!r}"
    assert re.search(expected, message), message
    errors = [line for line in playreport.plain(output).splitlines() if line.startswith("[ERROR]")]
    assert len(errors) == 1, errors


def local_state(rehearsal):
    """What a failed first run must not have created: the stack's containers, networks and
    volumes (by its label and name: molecule scenarios run beside the e2e, with their own), the
    state directory, and an emulator answering on the rehearsal's port."""
    def podman(*args):
        return sorted(subprocess.run(["podman", *args], check=True, capture_output=True, text=True).stdout.split())
    with socket.socket() as probe:
        emulator = probe.connect_ex(("127.0.0.1", rehearsal.moto_port)) == 0
    label = f"label=django_aws.stack={STACK}"
    return {"containers": podman("ps", "--all", "--filter", label, "--format", "{{.Names}}")
            + [name for name in podman("ps", "--all", "--format", "{{.Names}}") if name.startswith(f"{STACK}-")],
            "networks": [name for name in podman("network", "ls", "--format", "{{.Name}}") if name.startswith(f"{STACK}-")],
            "volumes": podman("volume", "ls", "--filter", label, "--format", "{{.Name}}"),
            "state_dir": rehearsal.state_dir.exists(), "emulator": emulator}


def refused_cleanly(rehearsal, run, expected):
    """run() fails as one line and leaves the machine as it found it."""
    before = local_state(rehearsal)
    rc, out = run()
    assert rc != 0
    one_line_failure(out, expected)
    assert local_state(rehearsal) == before
    assert before["state_dir"] is False and before["emulator"] is False


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    # The stack is this test's own: what an interrupted earlier run left (containers, network)
    # is removed first, so one killed run does not fail every later one.
    leftovers = stack_containers()
    if leftovers:
        print(f"removing containers an earlier run of the e2e stack left: {' '.join(leftovers)}")
        subprocess.run(["podman", "rm", "-f", *leftovers], capture_output=True, check=True)
    subprocess.run(["podman", "network", "rm", "-f", f"{STACK}-rehearsal"], capture_output=True, check=False)
    r = Rehearsal(tmp_path_factory.mktemp("e2e"))
    r.install()
    # The site's domain leads to its published HTTPS port, verified against the ACME stand-in's roots.
    with served_as(DOMAIN, r.acme_roots):
        yield r
    # Whatever happened: nothing of the test may stay behind.
    if stack_containers() or r.state_dir.exists():
        r.teardown()
    subprocess.run(["podman", "rm", "-f", *stack_containers()], capture_output=True, check=False)
    subprocess.run(["podman", "network", "rm", "-f", f"{STACK}-rehearsal"], capture_output=True, check=False)


def test_failures_read_as_one_line(rehearsal, tmp_path):
    # The AWS inventory with no credentials anywhere (and no instance metadata to ask).
    aws_inventory = rehearsal.installed / "inventories" / "aws"
    no_aws = {"HOME": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent",
              "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    no_aws.update({k: None for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")})
    (tmp_path / "id.pub").write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA x\n")
    refused_cleanly(rehearsal, lambda: rehearsal.play(
        "provision", {"ec2_host_public_key_file": str(tmp_path / "id.pub"), "aws_network_ssh_cidrs": ["203.0.113.7/32"]},
        inventory=aws_inventory, env=no_aws, name="no-credentials"), r"^No AWS credentials found: set AWS_PROFILE")

    # An emulator that does not answer.
    closed = free_port()
    unreachable = {"django_aws_endpoint_url": f"http://127.0.0.1:{closed}", "ec2_host_public_key_file": str(tmp_path / "id.pub")}
    refused_cleanly(rehearsal, lambda: rehearsal.play("provision", unreachable, name="emulator-unreachable"),
                    rf"^AWS emulator unreachable at http://127.0.0.1:{closed} ")

    # podman missing: a PATH with every program of the usual ones but podman.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in ("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"):
        for program in Path(directory).iterdir():
            if program.name != "podman" and not (bin_dir / program.name).exists():
                os.symlink(program, bin_dir / program.name)
    refused_cleanly(rehearsal, lambda: rehearsal.play(
        "site", env={"PATH": f"{Path(sys.executable).parent}:{bin_dir}"}, name="no-podman"),
        r"^rehearsal: podman is not installed")

    # The published HTTP port held by another program: refused before anything is created.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", rehearsal.http_port))
        holder.listen()
        refused_cleanly(rehearsal, lambda: rehearsal.play("site", name="port-taken"),
                        rf"^rehearsal: port 127.0.0.1:{rehearsal.http_port} is taken by another program "
                        r"\(set rehearsal_http_port")


def test_check_on_an_empty_stack(rehearsal):
    """--check --diff before the stack exists: completes, says what each role would create (the
    network, the database, the hosts, the rehearsal's containers), and creates nothing."""
    rc, out = rehearsal.play("site", name="check-empty", cli=["--check", "--diff"])
    assert rc == 0, out[-3000:]
    # The emulator itself starts for real (it is AWS's stand-in, not part of the stack).
    emulator = {f"django_aws.deploy.rehearsal : {task}" for task in (
        "Create the state directory", "Start the AWS emulator unless it runs",
        "Make the SSH key pair that ec2_host imports", "Register a Debian 13 image in the emulator",
        "Create the domain's hosted zone in the emulator")}
    assert [task for task in changed_tasks(out) if task not in emulator] == [
        "django_aws.deploy.aws_network : Create the VPC",
        "django_aws.deploy.aws_network : Report the network that would be created",
        "django_aws.deploy.rds_postgres : Report the database that would be created",
        "django_aws.deploy.ec2_host : Report the hosts that would be launched",
        "django_aws.deploy.rehearsal : Report the containers a real run would start"], changed_tasks(out)
    plain = playreport.plain(out)
    assert f"RDS PostgreSQL 17 instance {STACK}-db" in plain and f"{STACK}-web-1 (t3.small" in plain
    # Nothing of the stack exists: not in the emulator (which a check starts: it stands in for
    # AWS, which a check asks), not in podman.
    assert not stack_containers()
    tagged = [{"Name": "tag:django_aws:stack", "Values": [STACK]}]
    ec2 = rehearsal.client("ec2")
    assert ec2.describe_vpcs(Filters=tagged)["Vpcs"] == []
    assert ec2.describe_instances(Filters=tagged)["Reservations"] == []
    assert rehearsal.client("rds").describe_db_instances()["DBInstances"] == []
    assert rehearsal.client("ssm").describe_parameters()["Parameters"] == []


def test_first_run_builds_the_site(rehearsal):
    # At -vvv: the cold path is where the generated password travels (SSM, the database, the
    # app's DATABASE_URL); test_secrets_never_printed_nor_left_behind reads this output.
    rc, out = rehearsal.play("site", name="site-first", verbosity=3)
    assert rc == 0, out[-3000:]
    hosts = recap(out)
    assert hosts["localhost"]["changed"] > 0 and f"{STACK}-web-1" in hosts
    # The ACME stand-in runs beside the instances and the database (the site has a domain).
    assert sorted(stack_containers()) == [f"{STACK}-acme", f"{STACK}-db", f"{STACK}-web-1"]
    # The domain's A record, in the zone the emulator holds for the inventory's django_aws_route53_zone,
    # leads to the host's Elastic IP.
    address = rehearsal.client("ec2").describe_addresses(
        Filters=[{"Name": "tag:Name", "Values": [f"{STACK}-web-1-eip"]}])["Addresses"][0]["PublicIp"]
    assert zone_a_records(rehearsal) == {f"{DOMAIN}.": [address]}


def zone_a_records(rehearsal):
    """{name: addresses} of the A records in the emulator's rehearsal.test zone."""
    route53 = rehearsal.client("route53")
    zone = route53.list_hosted_zones_by_name(DNSName="rehearsal.test")["HostedZones"][0]
    return {r["Name"]: [v["Value"] for v in r["ResourceRecords"]]
            for r in route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"] if r["Type"] == "A"}


def test_site_serves_over_https(rehearsal):
    url = rehearsal.url
    siteprobe.health(url)
    page = requests.get(f"{url}/", timeout=10)
    assert page.status_code == 200 and "<form" in page.text
    siteprobe.row_round_trip(url, "e2e row")

    css_path = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    css = requests.get(f"{url}{css_path}", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers.get("Cache-Control", "")
    assert css.headers.get("Content-Encoding") == "gzip"


def in_web(*argv):
    """stdout of a command in the first web host's container."""
    return subprocess.run(["podman", "exec", f"{STACK}-web-1", *argv], check=True, capture_output=True, text=True).stdout


def worker_round_trip(rehearsal, text):
    """GET /worker: the page sends a celery task through the host's Redis and waits for the
    worker's answer; the answer must come from a celery worker process of the host (its pid's
    command line), not from gunicorn. Returns (the answer, the worker's command line)."""
    page = requests.get(f"{rehearsal.url}/worker", params={"text": text}, timeout=30)
    assert page.status_code == 200, page.text
    answer = page.json()
    assert (answer["sent"], answer["reversed"]) == (text, text[::-1]), answer
    assert answer["worker_host"] == in_web("hostname").strip()
    cmdline = in_web("cat", f"/proc/{answer['worker_pid']}/cmdline").replace("\0", " ")
    assert "celery -A demo worker" in cmdline, cmdline
    return answer, cmdline


def test_worker_round_trip_through_redis(rehearsal):
    """django_aws_redis: Redis on the host (loopback only, password required) is the broker of a
    celery worker under supervisor (django_app_programs); /worker proves the round trip."""
    answer = worker_round_trip(rehearsal, "e2e round trip")[0]
    assert answer["worker_release"] == served_release(rehearsal)[0]
    listening = [line.split()[3] for line in in_web("ss", "-Hltn").splitlines() if line.split()[3].endswith(":6379")]
    assert listening and all(addr.startswith(("127.0.0.1:", "[::1]:")) for addr in listening), listening
    assert "NOAUTH" in in_web("redis-cli", "-h", "127.0.0.1", "ping")
    assert re.search(r"^django-program-worker +RUNNING", in_web("supervisorctl", "status"), re.M)


def test_database_is_the_rds_endpoint(rehearsal):
    """The app's DATABASE_URL names the endpoint the emulator returns, over TLS."""
    rds = rehearsal.client("rds").describe_db_instances(DBInstanceIdentifier=f"{STACK}-db")["DBInstances"][0]
    address = rds["Endpoint"]["Address"]
    assert address == f"{STACK}-db.aaaaaaaaaa.{REGION}.rds.amazonaws.com"
    env = subprocess.run(["podman", "exec", f"{STACK}-web-1", "cat", "/etc/django/environment"],
                         check=True, capture_output=True, text=True).stdout
    # The app logs in as its own role, not as the master user (dbadmin).
    assert re.search(rf"DATABASE_URL='postgres://django:[^@']+@{re.escape(address)}:5432/app"
                     rf"\?sslmode=verify-full&sslrootcert={re.escape(RDS_CA_BUNDLE)}'", env)
    # The first release had migrations pending: a snapshot was taken before them, tagged with the
    # stack and the release that serves (the emulator stands in for RDS here too).
    release = requests.get(f"{rehearsal.url}/healthz", timeout=10).headers["X-Django-Release"].split("@")[0]
    snapshots = rehearsal.client("rds").describe_db_snapshots(
        DBInstanceIdentifier=f"{STACK}-db", SnapshotType="manual")["DBSnapshots"]
    tags = [{t["Key"]: t["Value"] for t in snap.get("TagList", [])} for snap in snapshots]
    assert [(t.get("django_aws:stack"), t.get("django_aws:release")) for t in tags] == [(STACK, release)], tags


def test_secrets_are_generated_and_used(rehearsal):
    """The secrets the cold run generated, read where they live, each non-empty and in use, so
    the search for them in the output cannot pass on an empty string."""
    ssm = rehearsal.client("ssm")
    password = ssm.get_parameter(Name=f"/{STACK}/rds/master-password", WithDecryption=True)["Parameter"]["Value"]
    app_password = ssm.get_parameter(Name=f"/{STACK}/rds/app-password", WithDecryption=True)["Parameter"]["Value"]
    assert ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [f"/{STACK}/rds/app-password"]}]
                                   )["Parameters"][0]["Type"] == "SecureString"
    # One SECRET_KEY per stack, in SSM beside the database passwords (not generated on a host).
    secret_key = ssm.get_parameter(Name=f"/{STACK}/django/secret-key", WithDecryption=True)["Parameter"]["Value"]
    assert ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [f"/{STACK}/django/secret-key"]}]
                                   )["Parameters"][0]["Type"] == "SecureString"
    assert in_web("sh", "-c", "test -e /etc/django/secret_key && echo kept || echo none").strip() == "none"
    assert len(password) >= 16 and len(app_password) >= 16 and len(secret_key) >= 50 and password != app_password
    env = subprocess.run(["podman", "exec", f"{STACK}-web-1", "cat", "/etc/django/environment"],
                         check=True, capture_output=True, text=True).stdout
    # Used: the app's DATABASE_URL carries the app role's password (percent-encoded), never the
    # master password, and the app reaches the database with it; SECRET_KEY is the app's.
    assert f":{urllib.parse.quote(app_password, safe='')}@" in env
    assert all(form not in env for form in secret_forms(password).values())
    assert requests.get(f"{rehearsal.url}/healthz", timeout=10).json()["database"] == "ok"
    assert re.search(rf"^SECRET_KEY='?{re.escape(secret_key)}'?$", env, re.M)
    # The local Redis's password, generated on the host: in REDIS_URL, and the worker uses it.
    redis_password = in_web("cat", "/etc/django_aws_redis_password").strip()
    assert len(redis_password) >= 16
    assert re.search(rf"^REDIS_URL='?redis://:{re.escape(redis_password)}@127\.0\.0\.1:6379/0'?$", env, re.M)
    rehearsal.secrets.update({"master password": password, "app password": app_password, "SECRET_KEY": secret_key,
                              "Redis password": redis_password})


def as_the_app(code):
    """Runs Python in the app's shell on the first web host (the app's user, its environment and
    its database connection: what an attacker with the app's rights has); returns its last line."""
    return in_web("/srv/django/bin/manage", "shell", "-c", code).strip().splitlines()[-1]


def sql_as_the_app(sql, dbname=None, options=None, whole=False):
    """'OK <rows>' or 'ERROR <class> <message>' for sql through the app's own database login
    (its DATABASE_URL), in its database or in dbname, with options replacing its connection
    parameters; whole: the error's every line (libpq's reasons come after the first), in one."""
    options = {**({"dbname": dbname} if dbname else {}), **(options or {})}
    return as_the_app(
        "import psycopg\n"
        "from django.db import connection\n"
        "params = connection.get_connection_params()\n"
        f"params.update({options!r})\n"
        "try:\n"
        "    with psycopg.connect(**params, autocommit=True) as conn:\n"
        f"        rows = conn.execute({sql!r}).fetchall()\n"
        "    print('OK', rows)\n"
        "except Exception as error:\n"
        f"    print('ERROR', type(error).__name__, ' '.join(str(error).split()) if {whole!r} else str(error).splitlines()[0])\n")


def test_app_role_is_least_privileged(rehearsal):
    """The app's login owns its database and nothing more: no superuser, CREATEROLE or CREATEDB,
    and another database on the same server is closed to it (tried with the app's own rights)."""
    db = f"{STACK}-db"
    superuser = ["podman", "exec", db, "runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-qc"]
    subprocess.run([*superuser, "DROP DATABASE IF EXISTS other_app"], check=True, capture_output=True)
    subprocess.run([*superuser, "CREATE DATABASE other_app OWNER dbadmin"], check=True, capture_output=True)
    subprocess.run([*superuser[:-1], "-d", "other_app", "-qc",
                    "SET ROLE dbadmin; CREATE TABLE payroll (who text); INSERT INTO payroll VALUES ('someone else')"],
                   check=True, capture_output=True)
    try:
        assert sql_as_the_app("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
                              "WHERE rolname = current_user") == "OK [('django', False, False, False)]"
        assert sql_as_the_app("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()") \
            == "OK [('django',)]"
        # The migrations ran as the app role: it owns every table of the app (so later ones can alter them).
        assert sql_as_the_app("SELECT count(*), count(*) FILTER (WHERE tableowner <> 'django') FROM pg_tables "
                              "WHERE schemaname = 'public'") in {f"OK [({n}, 0)]" for n in range(5, 200)}
        assert sql_as_the_app("CREATE ROLE intruder LOGIN").startswith("ERROR InsufficientPrivilege permission denied to create role")
        assert sql_as_the_app("CREATE DATABASE intruder").startswith("ERROR InsufficientPrivilege permission denied to create database")
        assert sql_as_the_app("SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, oid, 'USAGE') "
                              "AND rolname NOT IN (current_user, 'pg_database_owner')") == "OK []", \
            "a member of no other role (pg_database_owner: every database's owner is, in its database)"
        assert sql_as_the_app("SELECT * FROM payroll", dbname="other_app") \
            == "ERROR InsufficientPrivilege permission denied for table payroll"
    finally:
        subprocess.run([*superuser, "DROP DATABASE IF EXISTS other_app"], check=False, capture_output=True)


def test_database_tls_is_verified(rehearsal):
    """The app reaches the database only over TLS, verified: the stand-in shows a certificate for
    the endpoint's name signed by the CA the hosts were given (its checksum pinned). Tried from
    the web host with the app's own login: without TLS it is refused, by another name of the same
    server the certificate does not match, and against the public CAs nothing verifies it; a CA
    bundle whose checksum is not the pinned one is refused before it reaches a host."""
    ca = (rehearsal.state_dir / "rds-ca" / "ca.pem").read_text()
    assert in_web("cat", RDS_CA_BUNDLE) == ca
    assert in_web("stat", "-c", "%U:%G %a", RDS_CA_BUNDLE).strip() == "root:root 644"
    assert sql_as_the_app("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").startswith("OK [(True, 'TLSv1.3')]")
    plain = sql_as_the_app("SELECT 1", options={"sslmode": "disable"}, whole=True)
    assert plain.startswith("ERROR OperationalError") and re.search(r"no pg_hba\.conf entry .* no encryption", plain), plain
    # The same server by its container name: the certificate is for the endpoint's name only.
    assert re.search(r"server certificate for \"[^\"]+\.rds\.amazonaws\.com\" does not match host name \"e2e-db\"",
                     sql_as_the_app("SELECT 1", options={"host": f"{STACK}-db"}, whole=True))
    # An impostor's certificate from a public CA would have to verify against the bundle; the
    # stand-in's does not verify against the public CAs: what is trusted is the bundle alone.
    assert "certificate verify failed" in sql_as_the_app(
        "SELECT 1", options={"sslrootcert": "/etc/ssl/certs/ca-certificates.crt"}, whole=True)

    pinned = hashlib.sha256(ca.encode()).hexdigest()
    other = hashlib.sha256(b"another bundle").hexdigest()
    rc, out = rehearsal.play("site", {"rds_postgres_ca_bundle_sha256": other}, name="ca-bundle-checksum",
                             cli=("--check", "--tags", "app"))
    assert rc != 0
    one_line_failure(out, rf"the CA bundle at file://\S+/rds-ca/ca\.pem \(rds_postgres_ca_bundle_url\) has sha256 "
                          rf"{pinned}, not {other} \(rds_postgres_ca_bundle_sha256\): nothing was installed")
    assert in_web("cat", RDS_CA_BUNDLE) == ca


def test_master_password_on_no_web_host(rehearsal):
    """The master password (any form) is in no file and no process environment on any web host;
    the same search finds the app role's password where it must be (it can fail)."""
    def search(container, value):
        patterns = "\n".join(secret_forms(value).values()) + "\n"
        files = subprocess.run(["podman", "exec", "-i", container, "grep", "-rlsF", "-f", "-", "/",
                                "--exclude-dir=proc", "--exclude-dir=sys", "--exclude-dir=dev"],
                               input=patterns, capture_output=True, text=True, check=False).stdout.split()
        # Reading another user's /proc/<pid>/environ takes CAP_SYS_PTRACE (--privileged); a
        # process that still exists and cannot be read fails the search instead of passing it.
        environs = subprocess.run(
            ["podman", "exec", "--privileged", "-i", container, "sh", "-c",
             'patterns=$(cat); for f in /proc/[0-9]*/environ; do '
             'if ! cat "$f" >/dev/null 2>&1; then [ -e "$f" ] && echo "unreadable:$f"; continue; fi; '
             'printf "%s\\n" "$patterns" | grep -qsaF -f - "$f" && echo "$f"; done; true'],
            input=patterns, capture_output=True, text=True, check=True).stdout.split()
        assert not [line for line in environs if line.startswith("unreadable:")], environs
        return files, environs

    assert {"master password", "app password"} <= set(rehearsal.secrets), "test_secrets_are_generated_and_used ran"
    for container in stack_containers():
        if "-web-" not in container:
            continue
        files, environs = search(container, rehearsal.secrets["app password"])
        assert any(path.startswith("/etc/django/slots/") for path in files), f"the search finds the app's password on {container}"
        assert environs, f"and in the environment of the app's processes on {container}"
        assert search(container, rehearsal.secrets["master password"]) == ([], []), container


def ssh_to_web(rehearsal, known_hosts):
    """`ssh admin@<first web host> true` as Ansible reaches it, checking the host key against known_hosts."""
    return subprocess.run(["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={known_hosts}",
                           "-o", "ConnectTimeout=10", "-i", str(rehearsal.state_dir / "id_ed25519"), "-p", str(rehearsal.ssh_port),
                           "admin@127.0.0.1", "true"], capture_output=True, text=True, timeout=60, check=False)


def test_host_key_known_before_first_contact_and_a_swapped_one_refused(rehearsal):
    """The web host's SSH key is the one the controller made and handed over in the instance's user
    data (recorded with the instance id; the private half forgotten on the controller, never
    printed). Another key at the host's address stops a run at connect with one line naming the
    host and the stack's known_hosts file, before anything is sent; SSH itself refuses it too."""
    web = f"{STACK}-web-1"
    records = rehearsal.state_dir / "host_keys"
    known_hosts = rehearsal.state_dir / "known_hosts"
    key = "/etc/ssh/ssh_host_ed25519_key"
    recorded = (records / f"{web}.pub").read_text().split()[:2]
    assert in_web("cat", f"{key}.pub").split()[:2] == recorded
    assert known_hosts.read_text().split() == [f"[127.0.0.1]:{rehearsal.ssh_port}", *recorded]
    instance_id = (records / f"{web}.instance_id").read_text().strip()
    user_data = rehearsal.client("ec2").describe_instance_attribute(InstanceId=instance_id, Attribute="userData")
    cloud_config = base64.b64decode(user_data["UserData"]["Value"]).decode()
    assert cloud_config.startswith("#cloud-config\n") and f"ed25519_public: {' '.join(recorded)}" in cloud_config
    assert not (records / web).exists(), "the private half is deleted once the instance is recorded"
    private_lines = in_web("cat", key).splitlines()[3:-1]
    assert private_lines and all(line in cloud_config for line in private_lines)
    controller = read_controller_files(rehearsal)
    for line in private_lines:
        assert not [name for name, out in rehearsal.outputs.items() if line in out], "a private host key line was printed"
        assert not [path for path, data in controller.items() if line.encode() in data], "left on the controller"
    assert ssh_to_web(rehearsal, known_hosts).returncode == 0

    in_web("sh", "-c", f"cp {key} /root/hostkey.saved && cp {key}.pub /root/hostkey.pub.saved")
    try:
        in_web("sh", "-c", f"rm -f {key} {key}.pub && ssh-keygen -q -t ed25519 -N '' -f {key} && systemctl restart ssh")
        rc, out = rehearsal.play("site", name="swapped-host-key", cli=("--check", "--tags", "app"))
        assert rc != 0
        one_line_failure(out, rf"{web} at \[127\.0\.0\.1\]:{rehearsal.ssh_port} presents another SSH host key, not the one "
                              rf"recorded in {re.escape(str(known_hosts))}")
        assert not re.search(rf"^(ok|changed): \[{web}\]", playreport.plain(out), re.M), "nothing ran on the host"
        refused = ssh_to_web(rehearsal, known_hosts)
        assert refused.returncode == 255 and "Host key verification failed" in refused.stderr, refused.stderr
    finally:
        in_web("sh", "-c", f"cp /root/hostkey.saved {key} && cp /root/hostkey.pub.saved {key}.pub && rm /root/hostkey*.saved "
                           "&& systemctl restart ssh")
    assert ssh_to_web(rehearsal, known_hosts).returncode == 0


def read_controller_files(rehearsal):
    """{path: bytes} of the test's working directory (ansible.cfg, the installed collection,
    the rehearsal's state) and what the runs wrote under ~/.ansible, except the emulator's own
    store (moto-recording: AWS's side, holding the SSM parameter as AWS does)."""
    files = [path for path in rehearsal.workdir.rglob("*") if path.is_file() and path.name != "moto-recording"]
    files += [path for path in (Path.home() / ".ansible").rglob("*")
              if path.is_file() and path.stat().st_mtime >= rehearsal.started]
    return {str(path): path.read_bytes() for path in files}


def secret_forms(value):
    """The forms a secret could leak in: raw, percent-encoded (as in a URL), base64 (slurp)."""
    return {"raw": value, "url-encoded": urllib.parse.quote(value, safe=""),
            "url-encoded+": urllib.parse.quote_plus(value), "base64": base64.b64encode(value.encode()).decode()}


def test_second_run_changes_nothing(rehearsal):
    rc, out = rehearsal.play("site", name="site-second")
    assert rc == 0, out[-3000:]
    hosts = recap(out)
    assert hosts and all(h["changed"] == 0 and h["failed"] == 0 for h in hosts.values()), hosts


def changed_tasks(output):
    """Names of the tasks (and handlers) that reported changed, in order."""
    changed, task = [], None
    for line in playreport.plain(output).splitlines():
        if line.startswith(("TASK [", "RUNNING HANDLER [")):
            task = line[line.index("[") + 1:line.rindex("]")]
        elif line.startswith("changed: [") and task:
            changed.append(task)
    return changed


def test_check_and_diff_tell_the_truth(rehearsal):
    """--check --diff on the deployed stack with one nginx setting changed: exactly nginx's site
    file (with its diff) and nginx's reload would change - so everything else, AWS and the app
    included, would not - and nothing changed for real."""
    rc, out = rehearsal.play("site", {"nginx_proxy_client_max_body_size": "20m"}, name="check-nginx",
                             cli=["--check", "--diff"])
    assert rc == 0, out[-3000:]
    assert changed_tasks(out) == ["django_aws.deploy.nginx_proxy : Write site django",
                                  "django_aws.deploy.nginx_proxy : Reload nginx"], changed_tasks(out)
    assert re.search(r"^-\s+client_max_body_size 10m;\n\+\s+client_max_body_size 20m;", playreport.plain(out), re.M)
    served = subprocess.run(["podman", "exec", f"{STACK}-web-1", "grep", "client_max_body_size",
                             "/etc/nginx/sites-available/django.conf"], check=True, capture_output=True, text=True).stdout
    assert "10m" in served, "--check changed nothing"


def served_release(rehearsal):
    """The release (and slot) answering through nginx: X-Django-Release: <release>@<slot>."""
    return requests.get(f"{rehearsal.url}/healthz", timeout=10).headers["X-Django-Release"].split("@")


def test_code_deploy_with_tags_then_rollback_playbook(rehearsal, tmp_path):
    """--tags deploy with changed code: first under --check --diff (a new release and the idle
    slot's files would change, no virtualenv: the requirements did not change; nothing changes
    for real), then for real: the app's tasks only (no provisioning, no nginx), a new release
    switched to; then playbooks/rollback.yml: the previous release serves again."""
    before = served_release(rehearsal)
    app = tmp_path / "app"
    shutil.copytree(rehearsal.installed / "examples" / "demo_app", app, ignore=shutil.ignore_patterns("__pycache__"))
    page = app / "notes" / "templates" / "notes" / "index.html"
    page.write_text(page.read_text().replace("<h1>Notes</h1>", "<h1>Deployed with --tags deploy</h1>"))

    rc, out = rehearsal.play("site", {"django_app_source_path": str(app)}, name="check-code",
                             cli=["--check", "--diff", "--tags", "deploy"])
    assert rc == 0, out[-3000:]
    would = changed_tasks(out)
    assert "django_aws.deploy.django_app : Create the release directory" in would, would
    assert "django_aws.deploy.django_app : Report the switch that would happen (--check)" in would, would
    assert all(task.startswith("django_aws.deploy.django_app : ") for task in would), would
    assert not [task for task in would if "virtualenv" in task or "requirements" in task], would
    assert served_release(rehearsal) == before, "--check switched nothing"
    rc, out = rehearsal.play("site", {"django_app_source_path": str(app)}, name="tags-deploy", cli=["--tags", "deploy"])
    assert rc == 0, out[-3000:]
    plain = playreport.plain(out)
    assert "django_app : Fingerprint the deployment" in plain
    assert "aws_network : Create the VPC" not in plain and "nginx_proxy : Write site" not in plain
    after = served_release(rehearsal)
    assert after[0] != before[0] and after[1] != before[1]
    assert "<h1>Deployed with --tags deploy</h1>" in requests.get(f"{rehearsal.url}/", timeout=10).text
    # The worker was restarted on the new release: it answers with the new release's environment.
    assert worker_round_trip(rehearsal, "after the code deploy")[0]["worker_release"] == after[0]

    rc, out = rehearsal.play("rollback", name="rollback")
    assert rc == 0, out[-3000:]
    assert served_release(rehearsal) == before
    assert "<h1>Notes</h1>" in requests.get(f"{rehearsal.url}/", timeout=10).text


def served_certificate(rehearsal):
    """The certificate nginx shows for DOMAIN on the published HTTPS port, verified against the
    roots of the ACME stand-in (a handshake that fails verification raises)."""
    context = ssl.create_default_context(cafile=str(rehearsal.acme_roots))
    with socket.create_connection(("127.0.0.1", rehearsal.https_port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=DOMAIN) as tls:
            return tls.getpeercert()


def in_web_1(*argv, check=True):
    """The first web host's command run in its container (CompletedProcess: rc, stdout, stderr)."""
    return subprocess.run(["podman", "exec", f"{STACK}-web-1", *argv], check=check, capture_output=True, text=True)


def test_https_with_an_acme_certificate(rehearsal):
    """The rehearsal's site has a domain: the first run got a certificate from the ACME stand-in
    over HTTP-01 (pebble validating at the domain's address on the rehearsal's network), nginx
    serves HTTPS with it and redirects HTTP, Django sends secure cookies and HSTS (the second run
    asked for nothing: test_second_run_changes_nothing); certbot's own timer unit renews it under
    load with no failed request, and fails visibly when the CA cannot be reached."""
    assert "Ask the ACME server for the certificate" in rehearsal.outputs["site-first"]
    url = rehearsal.url
    cert = served_certificate(rehearsal)
    assert cert["subjectAltName"] == (("DNS", DOMAIN),)
    assert "Pebble" in dict(item[0] for item in cert["issuer"])["commonName"]
    siteprobe.health(url)
    page = requests.get(f"{url}/", timeout=10)
    assert int(re.search(r"max-age=(\d+)", page.headers["Strict-Transport-Security"]).group(1)) >= 31536000
    csrf_cookie = next(c for c in page.cookies if c.name == "csrftoken")
    assert csrf_cookie.secure, "the CSRF cookie is sent over HTTPS only"
    # Verification is real: the rehearsal's other CA does not vouch for the site.
    with pytest.raises(requests.exceptions.SSLError), served_as(DOMAIN, rehearsal.state_dir / "rds-ca" / "ca.pem"):
        requests.get(f"{url}/healthz", timeout=10)
    environment = in_web_1("cat", "/etc/django/environment").stdout
    assert re.search(r"^HTTPS='?True'?$", environment, re.M), "Django is told the site is HTTPS (secure cookies, redirect)"

    # Plain HTTP by the domain's name: a redirect to HTTPS, but the ACME challenges are served there.
    plain = requests.get(f"{rehearsal.http_url}/admin/", headers={"Host": DOMAIN}, allow_redirects=False, timeout=10)
    assert plain.status_code == 301 and plain.headers["Location"] == f"https://{DOMAIN}/admin/"
    challenge = requests.get(f"{rehearsal.http_url}/.well-known/acme-challenge/none", headers={"Host": DOMAIN},
                             allow_redirects=False, timeout=10)
    assert challenge.status_code == 404

    # Renewal by certbot.timer's unit, as the timer starts it: made due now (pebble's certificates
    # last 5 years), under load; the deploy hook reloads nginx, which swaps the certificate.
    in_web_1("sed", "-i", r"s/^#\? *renew_before_expiry = .*/renew_before_expiry = 1830 days/", RENEWAL_CONF)
    with siteprobe.Load(f"{url}/healthz", seconds=60) as load:
        time.sleep(2)
        renewal = in_web_1("systemctl", "start", "certbot.service", check=False)
        time.sleep(2)
    assert renewal.returncode == 0, renewal.stderr
    renewed = served_certificate(rehearsal)
    assert renewed["serialNumber"] != cert["serialNumber"], "the renewed certificate is served"
    print(f"e2e: renewal under load: {load.count} requests, {load.failed} failed")
    assert load.count > 50 and load.failed == 0, (load.statuses, load.errors[:3])

    # A renewal that cannot reach the CA fails the unit (systemctl --failed, journalctl -u certbot).
    subprocess.run(["podman", "stop", "-t", "2", f"{STACK}-acme"], check=True, capture_output=True)
    try:
        assert in_web_1("systemctl", "start", "certbot.service", check=False).returncode != 0
        assert in_web_1("systemctl", "is-failed", "certbot.service", check=False).stdout.strip() == "failed"
    finally:
        in_web_1("sed", "-i", "s/^renew_before_expiry = .*/# renew_before_expiry = 30 days/", RENEWAL_CONF)
        in_web_1("systemctl", "reset-failed", "certbot.service", check=False)
        subprocess.run(["podman", "start", f"{STACK}-acme"], check=True, capture_output=True)
    assert served_certificate(rehearsal)["serialNumber"] == renewed["serialNumber"]


def container_ids():
    out = subprocess.run(["podman", "ps", "--all", "--filter", f"label=django_aws.stack={STACK}",
                          "--format", "{{.Names}} {{.ID}}"], check=True, capture_output=True, text=True).stdout
    return dict(line.split() for line in out.splitlines())


def test_restart_keeps_instances_and_data(rehearsal):
    """A machine restart stops the emulator and every container: the next run brings the same
    instances (ids), the same containers and the rows back, and re-creates nothing."""
    tagged = [{"Name": "tag:django_aws:stack", "Values": [STACK]}]
    ec2 = rehearsal.client("ec2")

    def instance_ids():
        return sorted(i["InstanceId"] for r in ec2.describe_instances(Filters=tagged)["Reservations"]
                      for i in r["Instances"] if i["State"]["Name"] != "terminated")

    ids, containers = instance_ids(), container_ids()
    text = siteprobe.row_round_trip(rehearsal.url, "row before the restart")

    # As a reboot would: the emulator process and every container of the stack stop.
    os.kill(int((rehearsal.state_dir / "pid").read_text()), 15)
    subprocess.run(["podman", "stop", "-t", "5", *containers], check=True, capture_output=True)
    with pytest.raises(OSError):
        requests.get(f"{rehearsal.url}/healthz", timeout=2)

    rc, out = rehearsal.play("site", name="site-after-restart")
    assert rc == 0, out[-3000:]
    assert instance_ids() == ids and container_ids() == containers
    assert siteprobe.row_is_listed(rehearsal.url, text)
    assert recap(out)[f"{STACK}-web-1"]["changed"] == 0


def test_two_hosts_serve_one_site(rehearsal):
    """A second web host (one more instance, standing in as a second container): it gets the
    stack's SECRET_KEY from SSM and verifies the database as the first does, and a session created
    on one host is valid on the other (logged in to the admin through the first host's nginx, the
    admin's index through the second's; Django signs session data and the login's hash with
    SECRET_KEY, so hosts with keys of their own would send the user back to the login page)."""
    # Plain HTTP: a Let's Encrypt certificate is for one host (HTTP-01 validates at the address the
    # name leads to); several hosts share a certificate of the inventory's (or, later, a load balancer's).
    rc, out = rehearsal.play("site", {"ec2_host_count": 2, "django_aws_domain": "", "django_aws_allow_plain_http": True},
                             name="site-two-hosts")
    assert rc == 0, out[-3000:]
    first, second = f"{STACK}-web-1", f"{STACK}-web-2"
    assert {first, second} <= set(recap(out))
    second_url = f"http://127.0.0.1:{rehearsal.http_port + 1}"
    siteprobe.health(second_url)

    def environment(host):
        return subprocess.run(["podman", "exec", host, "cat", "/etc/django/environment"],
                              check=True, capture_output=True, text=True).stdout
    keys = {host: re.findall(r"^SECRET_KEY='?([^'\n]+)'?$", environment(host), re.M) for host in (first, second)}
    assert keys[first] == keys[second] == [rehearsal.secrets["SECRET_KEY"]], "one SECRET_KEY, the stack's"
    assert re.search(rf"sslmode=verify-full&sslrootcert={re.escape(RDS_CA_BUNDLE)}'", environment(second))
    assert subprocess.run(["podman", "exec", second, "test", "-e", "/etc/django/secret_key"], check=False).returncode == 1

    password = base64.b32encode(os.urandom(15)).decode()
    subprocess.run(["podman", "exec", "-e", f"DJANGO_SUPERUSER_PASSWORD={password}", first, "/srv/django/bin/manage",
                    "createsuperuser", "--noinput", "--username", "e2e-admin", "--email", "admin@example.com"],
                   check=True, capture_output=True)
    browser = requests.Session()
    first_url = rehearsal.http_url
    login = browser.get(f"{first_url}/admin/login/", timeout=10)
    token = siteprobe.TOKEN.search(login.text).group(1)
    logged_in = browser.post(f"{first_url}/admin/login/", timeout=10, allow_redirects=False,
                             data={"username": "e2e-admin", "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
                             headers={"Origin": first_url})
    assert logged_in.status_code == 302 and logged_in.headers["Location"] == "/admin/", logged_in.text[:300]
    session = {"sessionid": browser.cookies["sessionid"]}
    on_second = requests.get(f"{second_url}/admin/", cookies=session, timeout=10, allow_redirects=False)
    assert on_second.status_code == 200 and "Site administration" in on_second.text, on_second.status_code
    # Without the session the second host sends the user to the login page: the check can fail.
    assert requests.get(f"{second_url}/admin/", timeout=10, allow_redirects=False).status_code == 302
    # And back: the first host still knows the session.
    assert requests.get(f"{first_url}/admin/", cookies=session, timeout=10, allow_redirects=False).status_code == 200


def test_teardown_leaves_nothing(rehearsal):
    rc, out = rehearsal.teardown(rehearsal_stop_emulator=False)
    assert rc == 0, out[-3000:]
    assert not stack_containers()
    networks = subprocess.run(["podman", "network", "ls", "--format", "{{.Name}}"], check=True,
                              capture_output=True, text=True).stdout.split()
    assert f"{STACK}-rehearsal" not in networks

    # The emulator (still running) holds nothing of the stack.
    tagged = [{"Name": "tag:django_aws:stack", "Values": [STACK]}]
    ec2 = rehearsal.client("ec2")
    assert not [i for r in ec2.describe_instances(Filters=tagged)["Reservations"] for i in r["Instances"]
                if i["State"]["Name"] != "terminated"]
    for call, key in ((ec2.describe_vpcs, "Vpcs"), (ec2.describe_subnets, "Subnets"),
                      (ec2.describe_security_groups, "SecurityGroups"), (ec2.describe_addresses, "Addresses"),
                      (ec2.describe_internet_gateways, "InternetGateways"), (ec2.describe_route_tables, "RouteTables"),
                      (ec2.describe_key_pairs, "KeyPairs")):
        assert call(Filters=tagged)[key] == [], key
    rds = rehearsal.client("rds")
    assert [d for d in rds.describe_db_instances()["DBInstances"] if d["DBInstanceIdentifier"].startswith(STACK)] == []
    assert [g for g in rds.describe_db_subnet_groups()["DBSubnetGroups"] if g["DBSubnetGroupName"].startswith(STACK)] == []
    assert [d for d in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
            if d["DBSnapshotIdentifier"].startswith(STACK)] == [], "the release snapshots are removed"
    assert rehearsal.client("ssm").describe_parameters(
        ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [f"/{STACK}/"]}])["Parameters"] == []
    assert rehearsal.client("logs").describe_log_groups(
        logGroupNamePrefix=f"/aws/rds/instance/{STACK}-")["logGroups"] == [], "RDS's exported logs"
    assert zone_a_records(rehearsal) == {}, "the domain's record"

    # What the runs left on the controller, read before the final teardown removes the state.
    rehearsal.files_before_final = read_controller_files(rehearsal)
    assert any(path.endswith("/id_ed25519") for path in rehearsal.files_before_final), "the state was read"

    # The full teardown again, at -vvv: finds nothing of the stack, stops the emulator, forgets its state.
    rc, out = rehearsal.teardown(name="teardown-final", verbosity=3)
    assert rc == 0, out[-3000:]
    assert not rehearsal.state_dir.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", rehearsal.moto_port), timeout=2).close()


def test_secrets_never_printed_nor_left_behind(rehearsal):
    """No generated secret, in any form, in any run's output (the cold site.yml and the final
    teardown at -vvv included) nor in any file the runs left on the controller: the test's
    working directory (ansible.cfg, the installed collection, the rehearsal's state) and
    ~/.ansible. The emulator's own store (moto-recording) is AWS's side and is not searched:
    it holds the SSM parameter as AWS does; teardown removes it."""
    assert set(rehearsal.secrets) == {"master password", "app password", "SECRET_KEY", "Redis password"}, \
        "test_secrets_are_generated_and_used ran"
    assert {"site-first", "teardown-final"} <= set(rehearsal.outputs)
    assert "ESTABLISH LOCAL CONNECTION" in rehearsal.outputs["site-first"], "site-first ran at -vvv"
    texts = {f"the output of {run}": out.encode() for run, out in rehearsal.outputs.items()}
    texts.update({f"{path} (before the final teardown)": data for path, data in rehearsal.files_before_final.items()})
    texts.update(read_controller_files(rehearsal))
    leaks = [f"{name} ({form}) in {where}" for name, value in rehearsal.secrets.items()
             for form, text in secret_forms(value).items() for where, data in texts.items() if text.encode() in data]
    assert not leaks, leaks
