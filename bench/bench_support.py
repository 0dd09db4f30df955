# SPDX-License-Identifier: Apache-2.0
"""What the comparison scripts share: free ports, child processes, CPU time and memory from /proc."""
import os
import re
import socket
import subprocess

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    """A port the kernel just handed out on 127.0.0.1 (never a fixed one: others run tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu_split(pid):
    """(utime, stime) of one process, in seconds (fields 14 and 15 of /proc/PID/stat): user
    space and the kernel's work for it (system calls, the network stack)."""
    with open("/proc/%d/stat" % pid) as f:
        # The command name (field 2) may hold spaces; the fields after its ')' are plain.
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS


def process_cpu_seconds(pid):
    """utime + stime of one process, in seconds."""
    return sum(process_cpu_split(pid))


def child_pids(pid):
    """The direct children of a process (nginx's master: its workers)."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        return []


def tree_cpu_split(pid):
    """(user, system) CPU seconds of a process and its direct children (nginx's master and its
    workers)."""
    user, system = process_cpu_split(pid)
    for child in child_pids(pid):
        try:
            child_user, child_system = process_cpu_split(child)
        except OSError:
            continue  # a worker that just exited
        user += child_user
        system += child_system
    return user, system


def tree_cpu_seconds(pid):
    """CPU of a process and its direct children."""
    return sum(tree_cpu_split(pid))


def memory_kib(pid):
    """VmRSS and VmHWM (peak RSS) of one process, in KiB, from /proc/PID/status."""
    values = {"VmRSS": 0, "VmHWM": 0}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def tree_memory_kib(pid):
    """VmRSS and VmHWM summed over a process and its direct children."""
    rss, hwm = memory_kib(pid)
    for child in child_pids(pid):
        try:
            child_rss, child_hwm = memory_kib(child)
        except OSError:
            continue
        rss += child_rss
        hwm += child_hwm
    return rss, hwm


class Processes(object):
    """Every child started by the script, stopped (terminate, then kill) by close()."""

    def __init__(self):
        self.children = []

    def start(self, argv, log_path, **kwargs):
        log = open(log_path, "wb")
        child = subprocess.Popen(argv, stdout=kwargs.pop("stdout", log),
                                 stderr=kwargs.pop("stderr", log), **kwargs)
        child.log_path = log_path
        self.children.append(child)
        return child

    def stop(self, child):
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if child.stdin:
            child.stdin.close()

    def close(self):
        for child in reversed(self.children):
            self.stop(child)


def log_tail(child):
    """The end of a child's log, for the message when it failed."""
    with open(child.log_path, "rb") as f:
        return f.read()[-4000:].decode("utf-8", "replace")


def parse_wrk(text):
    """Requests, requests/s, p50 and p99 (ms) and non-2xx count from `wrk --latency` output."""
    def duration_ms(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50": duration_ms(re.search(r"\s50%\s+(\S+)", text).group(1)),
        "p99": duration_ms(re.search(r"\s99%\s+(\S+)", text).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }
