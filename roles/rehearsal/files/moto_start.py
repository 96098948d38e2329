"""Start moto server (the AWS emulator) on 127.0.0.1 unless it already runs there.

usage: moto_start.py STATE_DIR PORT     (PORT 0: any free port, remembered in STATE_DIR/port)

Prints "running on ..." or "started on ..."; exits non-zero with a one-line reason otherwise.
The server runs in its own session, so it outlives this script and the playbook: its state (the
emulated resources) stays for the next run until it is stopped.

Its state also survives a stop (a machine restart): the server records every request to
STATE_DIR/moto-recording. A first start seeds moto's random ids (so they are the same on
replay); a later start replays the recording before anything else, which brings back the same
resources with the same ids. The recording holds what the requests held (the SSM password too):
the state directory is private (0700).
"""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

SEED = 20261125  # any fixed number: the same seed + the same requests = the same ids


def answers_as_moto(port):
    """True when moto answers on the port, False when nothing listens; exit when another program does."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2) as reply:
            if b"moto" in reply.read().lower():
                return True
    except urllib.error.HTTPError:
        pass
    except OSError:
        return False
    sys.exit(f"port 127.0.0.1:{port} is taken by another program, not the AWS emulator (set rehearsal_moto_port)")


def moto_api(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/{path}", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=600) as reply:
        return reply.read()


def restore_or_seed(port, recording, recorded):
    """Replay an earlier recording of RECORDED requests (a restart), or seed the ids of a new one."""
    if recorded:
        moto_api(port, "recorder/replay-recording")
        return f", state restored ({recorded} recorded requests replayed)"
    # The seed call is recorded first, so a replay seeds itself the same way.
    moto_api(port, f"seed?a={SEED}")
    return ", new state"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    port_file = os.path.join(directory, "port")
    if port == 0 and os.path.exists(port_file):
        port = int(open(port_file).read())
    if port and answers_as_moto(port):
        print(f"running on 127.0.0.1:{port}")
        return
    try:
        import moto.server  # noqa: F401  (only to fail early with a clear message)
    except ImportError:
        sys.exit(f"moto is not installed for {sys.executable}: pip install 'moto[server]'")
    port = port or free_port()
    recording = os.path.join(directory, "moto-recording")
    # Counted before the server starts: it records our own readiness checks too.
    recorded = 0
    if os.path.exists(recording):
        with open(recording) as handle:
            recorded = sum(1 for line in handle if line.strip())
    env = dict(os.environ, MOTO_ENABLE_RECORDING="true", MOTO_RECORDER_FILEPATH=recording)
    server = os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_server.py")
    with open(os.path.join(directory, "moto.log"), "a") as log:
        proc = subprocess.Popen([sys.executable, server, "-H", "127.0.0.1", "-p", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env)
    for _attempt in range(150):
        if proc.poll() is not None:
            sys.exit(f"moto server exited with status {proc.returncode} (log: {directory}/moto.log)")
        if answers_as_moto(port):
            break
        time.sleep(0.1)
    else:
        proc.kill()
        sys.exit(f"moto server did not answer on 127.0.0.1:{port} within 15 s")
    try:
        note = restore_or_seed(port, recording, recorded)
    except (OSError, ValueError) as error:
        proc.kill()
        sys.exit(f"moto server could not restore its recorded state ({error}; log: {directory}/moto.log)")
    with open(os.path.join(directory, "pid"), "w") as handle:
        handle.write(str(proc.pid))
    with open(port_file, "w") as handle:
        handle.write(str(port))
    print(f"started on 127.0.0.1:{port}, pid {proc.pid}{note}")


if __name__ == "__main__":
    main()
