"""Ansible callback for the benchmarks: one JSON line per task and host (start, end, status)
in the file named by BENCH_TIMELINE."""
import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: timeline
type: aggregate
short_description: per task and host timings as JSON lines (bench/ only)
description:
  - Writes one JSON object per finished task and host to the file named by BENCH_TIMELINE.
requirements:
  - enabled with ANSIBLE_CALLBACKS_ENABLED=timeline and ANSIBLE_CALLBACK_PLUGINS=bench/callback_plugins
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "timeline"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._out = open(os.environ["BENCH_TIMELINE"], "a", encoding="utf-8")
        self._started = {}
        self._play = ""

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.time()

    def v2_playbook_on_handler_task_start(self, task):
        self._started[task._uuid] = time.time()

    def _record(self, result, status):
        task = result._task
        now = time.time()
        self._out.write(json.dumps({
            "play": self._play, "task": task.name or task.get_name(), "role": task._role.get_name() if task._role else "",
            "host": result._host.get_name(), "start": self._started.get(task._uuid, now), "end": now,
            "status": status, "changed": bool(result._result.get("changed")),
        }) + "\n")
        self._out.flush()

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")
