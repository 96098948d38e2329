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
# What redis-server says is wrong: from its FATAL banner on (the line, its number, the reason),
# the value of a requirepass line masked.
reason=$(printf '%s\n' "$out" | sed -n '/FATAL CONFIG FILE ERROR/,$p' \
         | sed "s/^>>> '[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss][[:space:]].*/>>> 'requirepass (value not shown)'/")
if [ -z "$reason" ]; then
    # Redis 8 reports an unknown directive differently ("Unresolved Configuration(s) Detected").
    reason=$(printf '%s\n' "$out" | grep -E 'Unresolved|>>>|Bad directive' | grep -v -i 'requirepass')
fi
printf '%s\n' "${reason:-redis-server did not accept $file}" >&2
exit 1
