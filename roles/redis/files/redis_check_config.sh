#!/bin/sh
# Usage: redis_check_config.sh FILE
# Reads a Redis configuration file with redis-server's own parser (Redis has no check-only flag):
# started on port 0 with no socket, a server whose configuration is sound stops at once with
# "Configured to not listen anywhere"; a bad directive or value stops it earlier with its error.
set -u
file=${1:?usage: redis_check_config.sh FILE}
out=$(timeout 10 /usr/bin/redis-server "$file" --port 0 --unixsocket "" --daemonize no --save "" \
      --logfile "" --pidfile "" 2>&1)
if printf '%s\n' "$out" | grep -q 'Configured to not listen anywhere'; then
    exit 0
fi
# The lines that say what is wrong (never the password: redis prints the directive, so the
# requirepass line is masked).
printf '%s\n' "$out" | grep -v -i 'requirepass' | grep -E 'FATAL|Bad directive|>>>|Unresolved|error' >&2 \
    || printf '%s\n' "redis-server did not accept $file" >&2
exit 1
