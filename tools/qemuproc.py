# SPDX-License-Identifier: Apache-2.0
"""Ending a QEMU run that was started in its own process group (start_new_session=True).

Shared by tests/guest/run.py, tests/linux/test_linux.py and tools/bench.py.
"""
import os
import signal
import subprocess


def stop_group(proc, term_grace=3.0, kill_grace=5.0):
    """SIGTERM to proc's process group, then SIGKILL; return once proc has exited (or given up)."""
    for sig, grace in ((signal.SIGTERM, term_grace), (signal.SIGKILL, kill_grace)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
