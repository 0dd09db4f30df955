# SPDX-License-Identifier: Apache-2.0
"""What the comparison scripts share: free ports and a process's CPU time from /proc."""
import os
import socket

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    """A port the kernel just handed out on 127.0.0.1 (never a fixed one: others run tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu_seconds(pid):
    """utime + stime of one process, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    with open("/proc/%d/stat" % pid) as f:
        # The command name (field 2) may hold spaces; the fields after its ')' are plain.
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
