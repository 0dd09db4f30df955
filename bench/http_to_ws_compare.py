#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""HTTP to WebSocket, Sluice against Node-RED, side by side (issue 6).

Both servers run the same flow: POST /services/websocketProxy1 -> one text frame to a WebSocket
backend -> 202 Accepted. Sluice runs a copy of projects/http-to-websocket (`sluice run`, Release
build); Node-RED runs bench/node-red/flows.json (npm package pinned by package-lock.json). One
after the other, each gets a fresh counting backend (ws_count_backend.js), a warm-up, then the
same wrk load (post_json.lua) for a fixed time. Printed per server: requests/s and p50/p99 latency
from wrk, the server process's CPU (utime + stime from /proc/PID/stat) per request, and the frames
the backend received against the 202s answered. Every process started here is stopped at the end.

    bench/http_to_ws_compare.py [--duration 10] [--connections 16] [--threads 1]
                                [--build-dir DIR | --sluice-bin PATH]
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)
from bench_support import (Processes, free_port, log_tail, parse_wrk,  # noqa: E402
                           process_cpu_seconds)
SOURCE_DIR = os.path.dirname(BENCH_DIR)
NODE_RED_DIR = os.path.join(BENCH_DIR, "node-red")
SEED_PROJECT = os.path.join(SOURCE_DIR, "projects", "http-to-websocket")
SEED_BACKEND = "ws://localhost:8082/websocket"
FLOW_BACKEND = "ws://127.0.0.1:8082/websocket"
SERVICE_PATH = "/services/websocketProxy1"


class Backend(object):
    """ws_count_backend.js: counts frames; asked over its stdin."""

    def __init__(self, processes, workdir):
        self.child = processes.start(["node", os.path.join(BENCH_DIR, "ws_count_backend.js")],
                                     os.path.join(workdir, "backend.log"),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = json.loads(self.child.stdout.readline())["port"]
        self.url = "ws://127.0.0.1:%d/websocket" % self.port

    def frames(self):
        self.child.stdin.write("count\n")
        self.child.stdin.flush()
        return json.loads(self.child.stdout.readline())["frames"]

    def settled_frames(self, expected, timeout=10):
        """The count once it stops moving (frames still in flight when wrk stopped)."""
        deadline = time.monotonic() + timeout
        last = self.frames()
        while time.monotonic() < deadline and last < expected:
            time.sleep(0.2)
            now = self.frames()
            if now == last:
                break
            last = now
        return last


def post_once(url):
    request = urllib.request.Request(url, data=b'{"hello":"websocket"}', method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return None


def wait_accepting(url, child, name, backend, timeout=60):
    """Posts until the server answers 202 and its frame reaches the backend."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            sys.exit("%s exited with status %d before answering; its log:\n%s" %
                     (name, child.returncode, log_tail(child)))
        if post_once(url) == 202 and backend.settled_frames(1, 2) >= 1:
            return
        time.sleep(0.3)
    sys.exit("%s did not answer 202 with a frame at the backend within %d s; its log:\n%s" %
             (name, timeout, log_tail(child)))


def run_wrk(url, seconds, options):
    argv = ["wrk", "-t%d" % options.threads, "-c%d" % options.connections, "-d%ds" % seconds,
            "--latency", "-s", os.path.join(BENCH_DIR, "post_json.lua"), url]
    return subprocess.run(argv, capture_output=True, text=True, check=True,
                          timeout=seconds + 60).stdout


def measure(name, child, url, backend, options):
    """Warm-up, then the measured wrk run; the CPU of `child` around the measured run only."""
    wait_accepting(url, child, name, backend)
    run_wrk(url, options.warmup, options)
    before_frames = backend.settled_frames(1 << 62, 5)
    before_cpu = process_cpu_seconds(child.pid)
    output = run_wrk(url, options.duration, options)
    after_cpu = process_cpu_seconds(child.pid)
    result = parse_wrk(output)
    accepted = result["requests"] - result["non_2xx"]
    result["frames"] = backend.settled_frames(before_frames + accepted) - before_frames
    result["accepted"] = accepted
    result["cpu_us"] = (after_cpu - before_cpu) * 1e6 / max(result["requests"], 1)
    result["name"] = name
    if options.verbose:
        print("--- %s: wrk\n%s" % (name, output))
    return result


def build_sluice(options):
    if options.sluice_bin:
        return options.sluice_bin
    build_dir = options.build_dir or os.path.join(SOURCE_DIR, "build", "bench-release")
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        subprocess.run(["cmake", "-S", SOURCE_DIR, "-B", build_dir, "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Release"], check=True)
    subprocess.run(["ninja", "-C", build_dir, "sluice"], check=True)
    return os.path.join(build_dir, "engine", "sluice")


def install_node_red():
    if not os.path.exists(os.path.join(NODE_RED_DIR, "node_modules", "node-red")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_RED_DIR, check=True)
    return os.path.join(NODE_RED_DIR, "node_modules", "node-red", "red.js")


def sluice_project(workdir, port, backend_url):
    """projects/http-to-websocket copied, with the listener on `port` and the backend rewritten."""
    project = os.path.join(workdir, "http-to-websocket")
    shutil.copytree(SEED_PROJECT, project)
    dispatch = os.path.join(project, "src", "main", "synapse-config", "sequences",
                            "dispatchSeq.xml")
    with open(dispatch) as f:
        xml = f.read()
    if SEED_BACKEND not in xml:
        sys.exit("%s no longer sends to %s; update this script" % (dispatch, SEED_BACKEND))
    with open(dispatch, "w") as f:
        f.write(xml.replace(SEED_BACKEND, backend_url))
    with open(os.path.join(project, "deployment.toml"), "a") as f:
        f.write("\n[server]\nhttp_listener_port = %d\n" % port)
    return project


def node_red_user_dir(workdir, backend_url):
    """A temporary userDir holding the settings and the flow pointed at `backend_url`."""
    user_dir = os.path.join(workdir, "node-red-user")
    os.makedirs(user_dir)
    shutil.copy(os.path.join(NODE_RED_DIR, "settings.js"), user_dir)
    with open(os.path.join(NODE_RED_DIR, "flows.json")) as f:
        flows = json.load(f)
    for node in flows:
        if node.get("type") == "websocket-client":
            assert node["path"] == FLOW_BACKEND
            node["path"] = backend_url
    with open(os.path.join(user_dir, "flows.json"), "w") as f:
        json.dump(flows, f)
    return user_dir


def run_sluice(sluice_bin, processes, workdir, options):
    backend = Backend(processes, workdir)
    port = free_port()
    project = sluice_project(workdir, port, backend.url)
    child = processes.start([sluice_bin, "run", "--no-management", project],
                            os.path.join(workdir, "sluice.log"))
    try:
        return measure("Sluice", child, "http://127.0.0.1:%d%s" % (port, SERVICE_PATH),
                       backend, options)
    finally:
        processes.stop(child)
        processes.stop(backend.child)


def run_node_red(red_js, processes, workdir, options):
    backend = Backend(processes, workdir)
    port = free_port()
    user_dir = node_red_user_dir(workdir, backend.url)
    env = dict(os.environ, BENCH_NODE_RED_PORT=str(port), NODE_ENV="production")
    child = processes.start(["node", red_js, "--userDir", user_dir, "--settings",
                             os.path.join(user_dir, "settings.js")],
                            os.path.join(workdir, "node-red.log"), env=env)
    try:
        return measure("Node-RED", child, "http://127.0.0.1:%d%s" % (port, SERVICE_PATH),
                       backend, options)
    finally:
        processes.stop(child)
        processes.stop(backend.child)


def print_table(results, options):
    print("\nHTTP POST -> WebSocket frame -> 202, wrk -t%d -c%d -d%ds (after a %d s warm-up)\n" %
          (options.threads, options.connections, options.duration, options.warmup))
    print("| server | requests/s | CPU µs per request | p50 ms | p99 ms | 202s "
          "| frames at backend |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print("| %s | %s | %.1f | %.2f | %.2f | %d | %d |" % (
            r["name"], format(round(r["rps"]), ","), r["cpu_us"], r["p50"], r["p99"],
            r["accepted"], r["frames"]))
    # wrk counts only the requests answered before it stops; those still in flight then (at most
    # one per connection) may already have sent their frame, so the backend may count up to
    # `connections` more. Fewer frames than 202s, or more beyond that, means lost or extra sends.
    print("\n(frames may exceed 202s by at most %d: requests in flight when wrk stopped)" %
          options.connections)
    for r in results:
        extra = r["frames"] - r["accepted"]
        if extra < 0 or extra > options.connections or r["non_2xx"] or r["socket_errors"]:
            print("MISMATCH %s: %d frames for %d 202s, %d non-2xx, socket errors: %s" % (
                r["name"], r["frames"], r["accepted"], r["non_2xx"], r["socket_errors"] or "none"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of measured load")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before it")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--build-dir", help="Release build dir (default build/bench-release)")
    parser.add_argument("--sluice-bin", help="use this sluice binary, build nothing")
    parser.add_argument("--only", choices=["sluice", "node-red"])
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output")
    options = parser.parse_args()
    for tool in ("wrk", "node", "npm"):
        if not shutil.which(tool):
            sys.exit("%s is not installed (Debian: apt-get install %s)" % (tool, tool))

    sluice_bin = build_sluice(options) if options.only != "node-red" else None
    red_js = install_node_red() if options.only != "sluice" else None
    processes = Processes()
    results = []
    with tempfile.TemporaryDirectory(prefix="sluice-bench-") as workdir:
        try:
            if sluice_bin:
                os.makedirs(os.path.join(workdir, "sluice"))
                results.append(run_sluice(sluice_bin, processes,
                                          os.path.join(workdir, "sluice"), options))
            if red_js:
                os.makedirs(os.path.join(workdir, "node-red"))
                results.append(run_node_red(red_js, processes,
                                            os.path.join(workdir, "node-red"), options))
        finally:
            processes.close()
    print_table(results, options)


if __name__ == "__main__":
    main()
