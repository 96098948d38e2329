"""Start moto server on a free 127.0.0.1 port in the background; write the port and pid."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

directory = sys.argv[1]
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = os.path.join(os.path.dirname(sys.executable), "moto_server")
with open(os.path.join(directory, "moto.log"), "w") as log:
    proc = subprocess.Popen([server, "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(f"moto server did not answer on 127.0.0.1:{port}")
with open(os.path.join(directory, "pid"), "w") as handle:
    handle.write(str(proc.pid))
with open(os.path.join(directory, "port"), "w") as handle:
    handle.write(str(port))
print(f"moto server on 127.0.0.1:{port}, pid {proc.pid}")
