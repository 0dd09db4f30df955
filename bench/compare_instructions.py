# SPDX-License-Identifier: Apache-2.0
"""Instructions per proxied message, user space, counted by callgrind: bench/compare.py's
`instructions` workload (issue 8 asks for an instructions-per-message figure in the table).

perf cannot count instructions in this VM (no hardware counters), and CPU time swings with the
neighbours; callgrind counts every instruction the proxy executes, whatever the machine's noise.
Each proxy runs once more under `valgrind --tool=callgrind`, pinned to the proxy's CPU like the
others, while a closed-loop W2 load (50 connections, 64 B text) goes through it. Callgrind's
counters are zeroed, the backend's count of received frames read; after the window the counters
are dumped and the count read again: instructions / messages echoed through the proxy.

What the figure is: the proxy's own code (and its libraries) per message, both directions. The
kernel's work is not in it (system calls, TCP): the CPU tables' `sys µs` column has that. Under
callgrind the proxy's own code runs many times slower, so the proxy is saturated and each wake-up
of its event loop finds many sockets ready: the figure is that of a busy proxy, for every target
alike.
Node-RED is left out: V8's generated code under valgrind needs `--smc-check=all` and takes
minutes to start, and a JIT's instruction count says little about its steady state.

The same dump gives a second figure, the code a message runs: the 64-byte lines of machine code
holding an instruction that ran at least once every two messages. On this load the kernel's work
between two system calls evicts the proxy's code from the first-level caches, so each of those
lines is fetched again for every message: it predicts the user time per message better than the
instruction count alone (docs/performance.md, "Code per message").
"""
import collections
import glob
import os
import shutil
import subprocess
import time

import compare_peers as peers

KEY = "instructions W2 50c 64B text (callgrind)"
CONNECTIONS = 50
SIZE = 64


def available():
    """Whether callgrind is here, and if not, why."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        return False, "valgrind is not installed (apt-get install valgrind)"
    return True, ""


def callgrind_argv(directory):
    # Each dump (callgrind_control -d) is written as cg.PID.N beside the process's file.
    # SLUICE_CALLGRIND_OPTIONS adds options, e.g. "--cache-sim=yes --LL=1048576,8,64" to count
    # the cache misses of the same run (docs/events.md).
    # --dump-instr=yes: costs by instruction address, for hot_code_lines().
    return (["valgrind", "--tool=callgrind", "--dump-instr=yes",
             "--callgrind-out-file=" + os.path.join(directory, "cg.%p")]
            + os.environ.get("SLUICE_CALLGRIND_OPTIONS", "").split())


def control(option, pids):
    """callgrind_control on every process of the peer (it returns once the process obeyed);
    None when done, else what went wrong."""
    for pid in pids:
        try:
            run = subprocess.run(["callgrind_control", option, str(pid)], capture_output=True,
                                 text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            return "callgrind_control %s %d did not return within 120 s" % (option, pid)
        if run.returncode != 0:
            return "callgrind_control %s %d: %s" % (option, pid, run.stderr.strip()[-300:])
    return None


def dumped_instructions(directory):
    """The instructions in every dump of the directory's processes (the zeroed window)."""
    total = 0
    for path in glob.glob(os.path.join(directory, "cg.*.*")):
        with open(path) as f:
            for line in f:
                if line.startswith(("summary:", "totals:")):
                    total += int(line.split()[1])
                    break
    return total


# A code line counts when one of its instructions ran at least this often per message.
HOT_LINE_RUNS = 0.5


def instruction_costs(path, counts):
    """Adds the file's self cost (instructions executed) per instruction address to `counts`.
    Callgrind's format (valgrind's docs, "Callgrind Format Specification"): a cost line is the
    positions ("instr line" with --dump-instr=yes), absolute (0x..), relative (+n, -n) or the
    same (*), then the costs; the line after a calls= line is a call's inclusive cost, not self
    cost, but its position still counts for the next relative one."""
    positions = 1
    last = 0
    after_call = False
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("positions:"):
                positions = len(line.split()) - 1
                continue
            if not (line[0] in "+-*" or line.startswith("0x")):
                # Names (ob=, fn=, ...), headers, blank lines; calls= announces a call's line.
                after_call = line.startswith("calls=")
                continue
            fields = line.split()
            first = fields[0]
            if first == "*":
                address = last
            elif first[0] in "+-":
                step = int(first[1:], 0)
                address = last + step if first[0] == "+" else last - step
            else:
                address = int(first, 16)
            last = address
            if after_call:
                after_call = False
                continue
            if len(fields) > positions:
                counts[address] += int(fields[positions])


def hot_code_lines(directory, messages):
    """The 64-byte code lines of every dump in the directory with an instruction run at least
    HOT_LINE_RUNS times per message."""
    counts = collections.Counter()
    for path in glob.glob(os.path.join(directory, "cg.*.*")):
        instruction_costs(path, counts)
    busiest = collections.Counter()
    for address, count in counts.items():
        busiest[address >> 6] = max(busiest[address >> 6], count)
    return sum(1 for count in busiest.values() if count >= HOT_LINE_RUNS * messages)


# Sluice once more with message events recorded and nobody watching: what recording adds per
# message, in instructions (issue 5's budget), steadier than the CPU figures of the `events`
# workload on a noisy machine.
EVENTS = "Sluice events recorded"


def start(bench, backend, name, directory):
    pin = bench.proxy_pin + callgrind_argv(directory)
    if name == "nginx":
        return peers.start_nginx(bench.processes, backend, directory, pin, 1000,
                                 bench.options.nofile, single_process=True)
    return peers.start_sluice(bench.processes, bench.tools, backend, directory, pin, name=name,
                              events=name == EVENTS)


def measure(bench, backend, name, window):
    directory = os.path.join(bench.workdir, "callgrind-" + name.lower().replace(" ", "-"))
    os.makedirs(directory)
    peer = start(bench, backend, name, directory)
    try:
        bench.probe(peer, timeout=300)
        pids = [peer.child.pid]  # nginx without a master (start()), Sluice: one process
        # Long enough for the warm-up, the window and callgrind_control's own start-up.
        load = subprocess.Popen(
            bench.load_pin + [bench.tools.loadgen, "--url", peer.url(False), "--mode", "closed",
                              "--connections", str(CONNECTIONS), "--size", str(SIZE),
                              "--warmup", "0", "--duration", str(window + 20), "--threads", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(3)  # every connection open and busy
            problem = control("-z", pids)
            received0 = backend.counts()["received"]
            time.sleep(window)
            # Dumped first, counted after: the frames of callgrind_control's own start-up are
            # in both figures.
            problem = problem or control("-d", pids)
            received1 = backend.counts()["received"]
        finally:
            load.kill()
            load.wait()
        messages = received1 - received0
        instructions = dumped_instructions(directory)
        if not problem and messages <= 0:
            problem = "no message went through in the window"
        if not problem and instructions <= 0:
            problem = "callgrind wrote no dump"
        entry = {"messages": {"median": messages, "min": messages, "max": messages},
                 "instructions": instructions, "rounds": 1, "valid": problem is None,
                 "first_problem": problem}
        if problem is None:
            per = instructions / messages
            entry["instructions_per_msg"] = {"median": per, "min": per, "max": per}
            lines = hot_code_lines(directory, messages)
            entry["code_lines_per_msg"] = {"median": lines, "min": lines, "max": lines}
        return entry
    finally:
        bench.processes.stop(peer.child)


def message_count(entry):
    return entry["messages"]["median"]


def run(bench, results, backend, names, window=8.0):
    ok, reason = available()
    if not ok:
        print("instructions: skipped: " + reason)
        results["meta"]["callgrind"] = "n/a: " + reason
        return
    summary = {}
    for name in names:
        entry = measure(bench, backend, name, window)
        summary[name] = entry
        print("  %-28s %-28s %s" % (
            KEY[:28], name, "%.0f instructions/msg, %d code lines/msg, over %d messages" % (
                entry["instructions_per_msg"]["median"], entry["code_lines_per_msg"]["median"],
                message_count(entry)) if entry["valid"]
            else "INVALID: " + entry["first_problem"]), flush=True)
    results["summary"][KEY] = summary
    results["meta"]["callgrind"] = "window %.0f s" % window
