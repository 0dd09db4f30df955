#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""WebSocket proxying side by side: the backend directly, nginx, Node-RED and Sluice (issue 8).

One command, on this machine, in one go: starts one echo backend (sluice_echo_backend) and every
target in front of it, then runs each workload against each target, round after round (targets
interleaved within a round, so the machine's noise spreads over all of them), and reports the
median of the rounds with min-max: msgs/s, p50 / p99 / p99.9 latency, the proxy's CPU
microseconds per message (utime + stime from /proc over the measured window, and each of the
two), its RSS, and its instructions per message (`perf stat` when it can count them, and a
callgrind run of nginx and Sluice: compare_instructions.py). Checks every target against the
issue's targets (PASS / FAIL, from the ratios measured here) and writes bench/results/latest.json,
latest.md and latest.png (gnuplot).

    bench/compare.py [--quick] [--rounds 5] [--build-dir build/bench-pgo | --no-build] [--no-pgo]
                     [--only direct,nginx,node-red,sluice]
                     [--workloads W1,W2,rate,W3,W4,scaling,events,plans,instructions]

CPU: the proxy under test on CPU 1, the load generator, the backend and wrk on CPU 0 (taskset).
"""
import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)
import compare_instructions  # noqa: E402
import compare_peers as peers  # noqa: E402
import compare_report as report  # noqa: E402
from bench_support import Processes, parse_wrk, process_cpu_seconds  # noqa: E402

SOURCE_DIR = os.path.dirname(BENCH_DIR)
LOAD_CPU = "0"
PROXY_CPU = "1"
NOFILE = 200000


class Tools(object):
    """The binaries of one build: sluice, sluice_loadgen, sluice_echo_backend."""

    def __init__(self, build_dir):
        self.build_dir = build_dir
        self.sluice = os.path.join(build_dir, "engine", "sluice")
        self.loadgen = os.path.join(build_dir, "bench", "sluice_loadgen")
        self.backend = os.path.join(build_dir, "bench", "sluice_echo_backend")
        self.build_type = "unknown"
        self.sluice_env = {}  # --sluice-env: e.g. QT_NO_GLIB=1, Qt's event dispatcher without glib
        cache = os.path.join(build_dir, "CMakeCache.txt")
        if os.path.exists(cache):
            pgo = "OFF"
            with open(cache) as f:
                for line in f:
                    if line.startswith("CMAKE_BUILD_TYPE:"):
                        self.build_type = line.split("=", 1)[1].strip()
                    elif line.startswith("SLUICE_PGO:"):
                        pgo = line.split("=", 1)[1].strip()
            if pgo == "USE":
                self.build_type += (" with profile-guided optimisation"
                                    " (scripts/build-pgo, scripts/package)")
            elif pgo != "OFF":
                self.build_type += " with SLUICE_PGO=" + pgo


def prerequisites(options):
    missing = []
    for tool, package in (("nginx", "nginx"), ("wrk", "wrk"), ("node", "nodejs"),
                          ("npm", "npm"), ("taskset", "util-linux"), ("cmake", "cmake"),
                          ("ninja", "ninja-build")):
        if not shutil.which(tool):
            missing.append(package)
    if not options.no_chart and not shutil.which("gnuplot"):
        missing.append("gnuplot-nox")
    if "instructions" in options.workloads and not shutil.which("valgrind"):
        missing.append("valgrind")
    if not os.path.exists("/usr/include/boost/beast.hpp"):
        missing.append("libboost-dev")
    if missing:
        sys.exit("bench/compare.py needs: apt-get install %s (or --no-chart for gnuplot)" %
                 " ".join(sorted(set(missing))))


def build(options):
    default_dir = "bench-pgo" if options.pgo else "bench-release"
    build_dir = os.path.abspath(options.build_dir or
                                os.path.join(SOURCE_DIR, "build", default_dir))
    if options.pgo and not options.no_build:
        subprocess.run([os.path.join(SOURCE_DIR, "scripts", "build-pgo"), build_dir],
                       check=True, stdout=subprocess.DEVNULL)
    elif not options.no_build:
        if not os.path.exists(os.path.join(build_dir, "build.ninja")):
            subprocess.run(["cmake", "-S", SOURCE_DIR, "-B", build_dir, "-G", "Ninja",
                            "-DCMAKE_BUILD_TYPE=Release", "-DSLUICE_BUILD_TESTS=OFF",
                            "-DSLUICE_BUILD_STUDIO=OFF"], check=True)
        subprocess.run(["ninja", "-C", build_dir, "sluice", "sluice_loadgen",
                        "sluice_echo_backend"], check=True)
    tools = Tools(build_dir)
    for path in (tools.sluice, tools.loadgen, tools.backend):
        if not os.access(path, os.X_OK):
            sys.exit("%s is missing: build it (ninja -C %s %s)" %
                     (path, build_dir, os.path.basename(path)))
    if "node-red" in options.only and not os.path.exists(
            os.path.join(peers.NODE_RED_DIR, "node_modules", "node-red")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=peers.NODE_RED_DIR,
                       check=True)
    return tools


def raise_file_limit():
    """20 000 pairs are 40 000+ sockets per process: raise the limit for every child."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
        return NOFILE
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard


def perf_available():
    """Whether `perf stat` counts instructions here, and if not, why."""
    if not shutil.which("perf"):
        return False, "perf is not installed (linux-perf)"
    run = subprocess.run(["perf", "stat", "-x,", "-e", "instructions", "--", "true"],
                         capture_output=True, text=True)
    if run.returncode != 0 or "<not supported>" in run.stderr or "<not counted>" in run.stderr:
        return False, ("perf stat: instructions <not supported> (no hardware performance "
                       "counters in this VM); callgrind would slow the proxy 50x and change "
                       "the figures it should measure")
    return True, ""


class PerfCounter(object):
    """`perf stat -e instructions -p PIDS` over the measured window."""

    def __init__(self, pids, workdir):
        self.output = os.path.join(workdir, "perf-%d.csv" % pids[0])
        self.child = subprocess.Popen(["perf", "stat", "-x,", "-e", "instructions", "-o",
                                       self.output, "-p", ",".join(str(p) for p in pids)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        self.child.send_signal(signal.SIGINT)
        self.child.wait(10)
        with open(self.output) as f:
            for line in f:
                fields = line.split(",")
                if len(fields) > 2 and "instructions" in fields[2]:
                    try:
                        return int(fields[0])
                    except ValueError:
                        return None
        return None


class Bench(object):
    def __init__(self, options, tools, workdir):
        self.options = options
        self.tools = tools
        self.workdir = workdir
        self.processes = Processes()
        pinned = shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2
        self.load_pin = ["taskset", "-c", LOAD_CPU] if pinned else []
        self.proxy_pin = ["taskset", "-c", PROXY_CPU] if pinned else []
        self.all_pin = ["taskset", "-c", "0,1"] if pinned else []
        self.pinned = pinned
        self.perf, self.perf_reason = perf_available()

    # --- one load run --------------------------------------------------------------------
    def loadgen(self, url, args, peer, timeout):
        """Runs sluice_loadgen against `url`; samples the peer's CPU, memory and instructions
        on its phase lines. Returns the loadgen's JSON result with the samples added."""
        argv = self.load_pin + [self.tools.loadgen, "--url", url] + args
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        killer = threading.Timer(timeout, child.kill)
        killer.start()
        samples = {}
        result = None
        counter = None
        try:
            for line in child.stdout:
                message = json.loads(line)
                phase = message.get("phase")
                if phase == "measuring":
                    samples["split0"] = peer.cpu_split()
                    samples["cpu0"] = sum(samples["split0"])
                    samples["load_cpu0"] = process_cpu_seconds(child.pid)
                    samples["t0"] = time.monotonic()
                    if self.perf:
                        counter = PerfCounter(peer.pids(), self.workdir)
                elif phase == "measured":
                    samples["split1"] = peer.cpu_split()
                    samples["cpu1"] = sum(samples["split1"])
                    samples["load_cpu1"] = process_cpu_seconds(child.pid)
                    samples["t1"] = time.monotonic()
                    samples["rss_kib"], samples["hwm_kib"] = peer.memory_kib()
                    if counter:
                        samples["instructions"] = counter.stop()
                        counter = None
                elif phase == "holding":
                    time.sleep(1)  # let the last pairs settle in the proxy
                    samples["held_rss_kib"], samples["held_hwm_kib"] = peer.memory_kib()
                    samples["holding"] = message
                else:
                    result = message
            child.wait()
        finally:
            killer.cancel()
            if counter:
                counter.stop()
        if result is None:
            stderr = child.stderr.read()
            return {"valid": False, "first_problem": "load generator failed (status %s): %s" %
                    (child.returncode, stderr.strip()[-500:] or "killed after %d s" % timeout)}
        result.update(samples)
        if "cpu1" in samples:
            window = samples["t1"] - samples["t0"]
            echoed = max(result["echoed_in_window"], 1)
            result["cpu_us_per_msg"] = (samples["cpu1"] - samples["cpu0"]) * 1e6 / echoed
            # Where it goes: user space (the proxy's own code) and the kernel (its system
            # calls and the network stack), which every proxy pays alike per message.
            result["cpu_user_us_per_msg"] = (samples["split1"][0] -
                                             samples["split0"][0]) * 1e6 / echoed
            result["cpu_sys_us_per_msg"] = (samples["split1"][1] -
                                            samples["split0"][1]) * 1e6 / echoed
            result["proxy_busy_pct"] = (samples["cpu1"] - samples["cpu0"]) * 100 / window
            result["load_busy_pct"] = (samples["load_cpu1"] - samples["load_cpu0"]) * 100 / window
            if samples.get("instructions"):
                result["instructions_per_msg"] = samples["instructions"] / echoed
        return result

    def message_run(self, peer, connections, size, binary, rate=None):
        """Closed loop (one message in flight per connection), or open loop at `rate` msgs/s."""
        o = self.options
        mode = ["--mode", "rate", "--rate", str(rate)] if rate else ["--mode", "closed"]
        args = mode + ["--connections", str(connections), "--size", str(size), "--warmup",
                       str(o.warmup), "--duration", str(o.duration), "--threads", "1"]
        if binary:
            args.append("--binary")
        return self.loadgen(peer.url(binary), args, peer, timeout=o.warmup + o.duration + 90)

    def connect_run(self, peer, connections):
        o = self.options
        before = peer.memory_kib()
        args = ["--mode", "connect", "--connections", str(connections), "--hold", str(o.hold),
                "--checks", "2", "--connect-concurrency", "256", "--drain", str(o.pair_timeout)]
        result = self.loadgen(peer.url(False), args, peer, timeout=o.hold + 3 * o.pair_timeout + 120)
        result["rss_before_kib"], result["hwm_before_kib"] = before
        holding = result.get("holding", {})
        result["paired"] = holding.get("paired", 0)
        if holding.get("pair_s"):
            result["pairs_per_s"] = holding["paired"] / holding["pair_s"]
        if "held_rss_kib" in result and result.get("connected"):
            result["kib_per_pair"] = (result["held_rss_kib"] - before[0]) / result["connected"]
        return result

    def wrk_run(self, peer, backend):
        o = self.options
        wrk = self.load_pin + ["wrk", "-t1", "-c%d" % o.wrk_connections, "--latency", "-s",
                               os.path.join(BENCH_DIR, "post_json.lua"), peer.http_url]
        subprocess.run(wrk[:-1] + ["-d%ds" % max(1, int(o.warmup + 0.5)), wrk[-1]],
                       capture_output=True, text=True, timeout=120, check=True)
        before_frames = backend.settled_received()
        cpu0 = peer.cpu_seconds()
        t0 = time.monotonic()
        run = subprocess.run(wrk[:-1] + ["-d%ds" % o.wrk_duration, wrk[-1]],
                             capture_output=True, text=True, timeout=o.wrk_duration + 120,
                             check=True)
        t1 = time.monotonic()
        cpu1 = peer.cpu_seconds()
        result = parse_wrk(run.stdout)
        result["rss_kib"], result["hwm_kib"] = peer.memory_kib()
        accepted = result["requests"] - result["non_2xx"]
        frames = backend.settled_received() - before_frames
        result.update(accepted=accepted, frames=frames,
                      cpu_us_per_request=(cpu1 - cpu0) * 1e6 / max(result["requests"], 1),
                      proxy_busy_pct=(cpu1 - cpu0) * 100 / (t1 - t0))
        # Requests in flight when wrk stopped may have sent their frame without wrk counting
        # their 202: up to one per connection more frames than 202s, never fewer.
        extra = frames - accepted
        problems = []
        if extra < 0:
            problems.append("%d frames at the backend for %d 202s: %d lost" %
                            (frames, accepted, -extra))
        if extra > o.wrk_connections:
            problems.append("%d frames for %d 202s: %d extra" % (frames, accepted, extra))
        if result["non_2xx"]:
            problems.append("%d non-2xx answers" % result["non_2xx"])
        if result["socket_errors"]:
            problems.append("socket errors: " + result["socket_errors"])
        result["valid"] = not problems
        result["first_problem"] = problems[0] if problems else None
        return result

    def probe(self, peer, binary=False, timeout=60):
        """Waits until one message goes through the peer and back (Node-RED's backend
        connection comes up after its listener)."""
        deadline = time.monotonic() + timeout
        args = ["--connections", "1", "--warmup", "0", "--duration", "0.2", "--drain", "2",
                "--size", "64"] + (["--binary"] if binary else [])
        while True:
            result = self.loadgen(peer.url(binary), args, peer, timeout=30)
            if result.get("valid") and result.get("echoed"):
                return
            if time.monotonic() > deadline:
                sys.exit("%s does not echo through to the backend: %s" %
                         (peer.name, result.get("first_problem")))
            time.sleep(0.5)


def median_summary(runs, fields):
    out = {}
    for field in fields:
        values = [r[field] for r in runs if isinstance(r.get(field), (int, float))]
        if values:
            # "rounds": every round's figure in round order (None where a run had none), so
            # that two targets run back to back in one round can be compared round by round.
            out[field] = {"median": statistics.median(values), "min": min(values),
                          "max": max(values),
                          "rounds": [r[field] if isinstance(r.get(field), (int, float))
                                     else None for r in runs]}
    out["rounds"] = len(runs)
    out["valid"] = all(r.get("valid") for r in runs)
    problems = [r.get("first_problem") for r in runs if not r.get("valid")]
    out["first_problem"] = problems[0] if problems else None
    return out


MESSAGE_FIELDS = ["msgs_per_s", "cpu_us_per_msg", "cpu_user_us_per_msg", "cpu_sys_us_per_msg",
                  "instructions_per_msg", "rss_kib", "hwm_kib", "proxy_busy_pct",
                  "load_busy_pct"]


RUN_FIELDS = ["msgs_per_s", "lat_p50", "lat_p99", "lat_p999", "cpu_us_per_msg",
              "cpu_user_us_per_msg", "cpu_sys_us_per_msg", "rss_kib", "valid", "first_problem"]


def message_fields(run):
    lat = run.get("latency_ms", {})
    for key in ("p50", "p99", "p999"):
        if key in lat:
            run["lat_" + key] = lat[key]
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="1 round, short windows, W3 with 2 000 pairs (< 3 minutes)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds before each window")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds measured per run")
    parser.add_argument("--w3-connections", type=int, default=20000)
    parser.add_argument("--w3-rounds", type=int, default=1)
    parser.add_argument("--hold", type=float, default=5.0, help="W3: seconds the pairs are held")
    parser.add_argument("--pair-timeout", type=float, default=90,
                        help="W3: seconds every connection's first echo may take")
    parser.add_argument("--wrk-connections", type=int, default=100)
    parser.add_argument("--wrk-duration", type=int, default=3)
    parser.add_argument("--build-dir", help="build dir (default build/bench-pgo, or "
                        "build/bench-release with --no-pgo)")
    parser.add_argument("--no-build", action="store_true", help="use the build dir as it is")
    # The packages users install are built with a profile (scripts/package), so that is what
    # the benchmark measures unless told otherwise.
    parser.add_argument("--pgo", action=argparse.BooleanOptionalAction, default=True,
                        help="Sluice built with profile-guided optimisation, as packaged "
                             "(scripts/build-pgo, build dir build/bench-pgo; the default); "
                             "--no-pgo: a plain Release build in build/bench-release")
    parser.add_argument("--only", default="direct,nginx,node-red,sluice")
    parser.add_argument("--w2-only", default="", metavar="TEXT",
                        help="W2: only the cases whose name holds TEXT (\"50c 64B\", \"binary\")")
    parser.add_argument("--workloads",
                        default="W1,W2,rate,W3,W4,scaling,events,plans,instructions")
    parser.add_argument("--rate", type=int, default=5000,
                        help="msgs/s of the fixed-rate workload (all targets must sustain it)")
    parser.add_argument("--out", default=os.path.join(BENCH_DIR, "results"))
    parser.add_argument("--no-chart", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the logs and configurations")
    parser.add_argument("--sluice-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment for the Sluice processes (e.g. QT_NO_GLIB=1)")
    options = parser.parse_args()
    if options.quick:
        options.rounds = 1
        options.warmup, options.duration = 0.3, 0.7
        options.w3_connections, options.hold, options.w3_rounds = 2000, 2.0, 1
        options.wrk_duration = 2
    options.only = options.only.split(",")
    options.workloads = options.workloads.split(",")
    prerequisites(options)
    tools = build(options)
    for setting in options.sluice_env:
        name, _, value = setting.partition("=")
        tools.sluice_env[name] = value
    # Stopped from outside (SIGTERM), still stop every child and remove the temp dir.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench/compare.py: terminated"))
    nofile = options.nofile = raise_file_limit()
    w3_note = ""
    if nofile < 2 * options.w3_connections + 1000:
        asked = options.w3_connections
        options.w3_connections = max(100, (nofile - 1000) // 2)
        w3_note = ("asked for %d pairs, ran %d: open files are capped at %d per process here "
                   "(RLIMIT_NOFILE hard limit; raising it needs CAP_SYS_RESOURCE, which this "
                   "machine does not give) and a proxy holds 2 sockets per pair" %
                   (asked, options.w3_connections, nofile))
        print("note: W3 " + w3_note)

    started = time.time()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_before": os.getloadavg(), "cpus": os.cpu_count(),
            "build_type": tools.build_type, "sluice_env": options.sluice_env,
            "rounds": options.rounds,
            "warmup_s": options.warmup, "duration_s": options.duration,
            "quick": options.quick, "w3_connections": options.w3_connections,
            "w3_rounds": options.w3_rounds, "hold_s": options.hold, "w3_note": w3_note,
            "wrk_connections": options.wrk_connections, "wrk_duration_s": options.wrk_duration,
            "nginx": subprocess.run(["nginx", "-v"], capture_output=True,
                                    text=True).stderr.strip(),
            "node": subprocess.run(["node", "--version"], capture_output=True,
                                   text=True).stdout.strip()}
    results = {"meta": meta, "summary": {}}
    with tempfile.TemporaryDirectory(prefix="sluice-compare-") as workdir:
        if options.keep:
            workdir = tempfile.mkdtemp(prefix="sluice-compare-kept-")
            print("logs and configurations kept in " + workdir)
        bench = Bench(options, tools, workdir)
        meta["pinning"] = ("proxy under test on CPU %s; load generator, backend and wrk on CPU %s"
                           % (PROXY_CPU, LOAD_CPU)) if bench.pinned else "not pinned (one CPU)"
        meta["instructions"] = "perf stat" if bench.perf else "n/a: " + bench.perf_reason
        try:
            run_all(bench, options, results)
        finally:
            bench.processes.close()
    meta["load_after"] = os.getloadavg()
    meta["seconds"] = round(time.time() - started)
    report.targets(results)
    os.makedirs(options.out, exist_ok=True)
    with open(os.path.join(options.out, "latest.json"), "w") as f:
        json.dump(results, f, indent=1)
    markdown = report.markdown(results)
    with open(os.path.join(options.out, "latest.md"), "w") as f:
        f.write(markdown)
    if not options.no_chart:
        report.chart(results, os.path.join(options.out, "latest.png"))
    print(markdown)


def run_all(bench, options, results):
    o = options
    processes = bench.processes
    workdir = bench.workdir
    summary = results["summary"]
    backend = peers.EchoBackend(processes, bench.tools.backend, workdir, bench.load_pin)
    targets = []
    if "direct" in o.only:
        targets.append(peers.start_direct(processes, bench.tools, workdir, bench.proxy_pin))
    if "nginx" in o.only:
        targets.append(peers.start_nginx(processes, backend, workdir, bench.proxy_pin,
                                         2 * o.w3_connections + 1000, o.nofile))
    if "node-red" in o.only:
        targets.append(peers.start_node_red(processes, backend, workdir, bench.proxy_pin))
    sluice = None
    if "sluice" in o.only:
        sluice = peers.start_sluice(processes, bench.tools, backend, workdir, bench.proxy_pin)
        targets.append(sluice)
    for peer in targets:
        bench.probe(peer)
        bench.probe(peer, binary=True)

    message_workloads = []
    if "W1" in o.workloads:
        message_workloads.append(("W1 1c 64B text", 1, 64, False))
    if "W2" in o.workloads:
        for connections in (50, 200):
            for size, size_name in ((64, "64B"), (16384, "16KiB")):
                for binary in (False, True):
                    key = "W2 %dc %s %s" % (connections, size_name, "binary" if binary else "text")
                    if o.w2_only in key:
                        message_workloads.append((key, connections, size, binary))
    if "rate" in o.workloads:
        # The same offered load for every target, below what the slowest sustains: latency
        # compared at equal throughput, measured from each message's scheduled time.
        message_workloads.append(("rate 50c 64B text %d/s" % o.rate, 50, 64, False, o.rate))
    extra = []  # (key, peer) pairs for the scaling and events comparisons
    if sluice and "events" in o.workloads:
        events = peers.start_sluice(processes, bench.tools, backend, workdir, bench.proxy_pin,
                                    name="Sluice events recorded", events=True)
        bench.probe(events)
        extra.append(("events W2 50c 64B text", [sluice, events], 50, 64, False))
    if sluice and "plans" in o.workloads:
        # The seed's flows through the executor, as before forward plans (forward_plan.h).
        executor = peers.start_sluice(processes, bench.tools, backend, workdir, bench.proxy_pin,
                                      name=report.SLUICE_EXECUTOR,
                                      env={"SLUICE_FORWARD_PLANS": "off"})
        bench.probe(executor)
        extra.append(("plans W2 50c 64B text", [sluice, executor], 50, 64, False))
    if sluice and "scaling" in o.workloads:
        two = peers.start_sluice(processes, bench.tools, backend, workdir, bench.all_pin,
                                 name="Sluice 2 threads on 2 CPUs", threads=2)
        bench.probe(two)
        extra.append(("scaling W2 200c 64B text", [sluice, two], 200, 64, False))

    runs = {}
    for round_number in range(o.rounds):
        print("round %d of %d (load %.1f)" % (round_number + 1, o.rounds, os.getloadavg()[0]),
              flush=True)
        for key, connections, size, binary, *rate in message_workloads:
            for peer in targets:
                run = message_fields(bench.message_run(peer, connections, size, binary, *rate))
                runs.setdefault(key, {}).setdefault(peer.name, []).append(run)
                report.progress(key, peer.name, run)
        for key, pair, connections, size, binary in extra:
            for peer in pair:
                run = message_fields(bench.message_run(peer, connections, size, binary))
                runs.setdefault(key, {}).setdefault(peer.name, []).append(run)
                report.progress(key, peer.name, run)
    for key, by_peer in runs.items():
        summary[key] = {name: median_summary(r, MESSAGE_FIELDS + ["lat_p50", "lat_p99",
                                                                  "lat_p999"])
                        for name, r in by_peer.items()}

    if "instructions" in o.workloads:
        names = [n for n in ("nginx", "Sluice") if n.lower() in o.only]
        if "sluice" in o.only:
            names.append(compare_instructions.EVENTS)
        compare_instructions.run(bench, results, backend, names)

    if "W3" in o.workloads:
        key = "W3 %d idle pairs" % o.w3_connections
        w3 = {}
        for round_number in range(o.w3_rounds):
            for peer in targets:
                run = bench.connect_run(peer, o.w3_connections)
                w3.setdefault(peer.name, []).append(run)
                report.progress(key, peer.name, run)
        summary[key] = {name: median_summary(r, ["kib_per_pair", "connects_per_s", "connected",
                                                 "paired", "pairs_per_s",
                                                 "dropped", "held_rss_kib", "rss_before_kib"])
                        for name, r in w3.items()}

    if "W4" in o.workloads:
        counting = peers.EchoBackend(processes, bench.tools.backend, workdir, bench.load_pin,
                                     name="counting-backend", count_only=True)
        http_targets = []
        if "node-red" in o.only:
            http_targets.append(peers.start_node_red(processes, counting, workdir,
                                                     bench.proxy_pin, http=True))
        if "sluice" in o.only:
            http_targets.append(peers.start_sluice(processes, bench.tools, counting, workdir,
                                                   bench.proxy_pin, http=True))
        for peer in http_targets:
            report.wait_accepting(peer)
        key = "W4 HTTP POST -> WS, wrk %dc" % o.wrk_connections
        w4 = {}
        for round_number in range(o.rounds):
            for peer in http_targets:
                run = bench.wrk_run(peer, counting)
                w4.setdefault(peer.name, []).append(run)
                report.progress(key, peer.name, run)
        summary[key] = {name: median_summary(r, ["rps", "cpu_us_per_request", "p50", "p99",
                                                 "rss_kib", "proxy_busy_pct", "requests",
                                                 "frames"])
                        for name, r in w4.items()}
    # Every round's figures, without the load generator's details, to see the spread.
    results["runs"] = {key: {name: [{field: run.get(field) for field in RUN_FIELDS}
                                    for run in by_round]
                             for name, by_round in by_peer.items()}
                       for key, by_peer in runs.items()}


if __name__ == "__main__":
    main()
