#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""wss proxying, Sluice beside nginx with the same certificates (issue 7).

One wss echo backend (Sluice itself in a second process: a wss inbound endpoint whose sequence
is <respond/>, a C++ echo that is not the bottleneck), then three ways to reach it:
  direct  the backend itself (the limit; its own CPU is the "proxy CPU")
  nginx   Debian's nginx, `listen ... ssl` with the same server certificate and key,
          proxy_pass https://backend with proxy_ssl_verify on against the test CA
  Sluice  `sluice run` on a generated project: wss inbound endpoint (same certificate) ->
          <send> to wss://127.0.0.1:BACKEND -> outflow sequence <respond/>, the test CA as
          [transport.wss] trust store
Certificates are made here with tests/e2e/peers/test_pki.py (openssl); nothing is committed.

Two loads through each, from python3-websockets asyncio clients with ssl contexts (this script,
one process):
  messages    --connections clients, each a closed-loop ping-pong of 64-byte text messages for
              --duration seconds; every echo must equal what was sent (a mismatch makes the run
              invalid and is printed). msgs/s and the proxy's CPU µs per message.
  handshakes  --handshake-workers workers, each repeatedly: open wss through the proxy, send one
              message, read the echo, close. handshakes/s and the proxy's CPU ms per handshake.
The proxy's CPU is utime + stime from /proc/PID/stat (nginx: master + workers) around the
measured window only. With 2+ CPUs the proxy under test is pinned to CPU 1 and the load and the
backend to CPU 0 (taskset); for `direct` the backend itself moves to CPU 1 for its run.

    bench/wss_compare.py [--duration 10] [--connections 16] [--handshake-workers 8]
                         [--sluice PATH] [--only direct,nginx,sluice] [--json out.json]
"""
import argparse
import asyncio
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(BENCH_DIR)
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e", "peers"))
from test_pki import TestPki  # noqa: E402  (the tests' certificate maker, reused as is)
from harness import FAULT_SEQ, OUT_DISPATCH_SEQ, OUT_FAULT_SEQ  # noqa: E402  (the tests' sequences)
sys.path.insert(0, BENCH_DIR)
from bench_support import (Processes, free_port, log_tail,  # noqa: E402
                           process_cpu_seconds, tree_cpu_seconds)

import websockets  # noqa: E402  (python3-websockets, Debian's)

NS = 'xmlns="http://ws.apache.org/ns/synapse"'
PAYLOAD_BYTES = 64
LOAD_CPU = "0"
PROXY_CPU = "1"


def pinning():
    """taskset prefixes for (load and backend, proxy under test), or none on one CPU."""
    if shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2:
        return ["taskset", "-c", LOAD_CPU], ["taskset", "-c", PROXY_CPU]
    return [], []


def client_context(pki):
    return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=pki.ca_pem)


async def echo_once(port, context, text):
    async with websockets.connect("wss://127.0.0.1:%d/echo" % port, ssl=context,
                                  server_hostname="localhost", open_timeout=5, close_timeout=5,
                                  ping_interval=None, compression=None) as ws:
        await ws.send(text)
        return await asyncio.wait_for(ws.recv(), 5)


def wait_echoing(port, context, child, name, timeout=60):
    """Until a message sent through `port` comes back (the whole chain is up)."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if child.poll() is not None:
            sys.exit("%s exited with status %d before echoing; its log:\n%s" %
                     (name, child.returncode, log_tail(child)))
        try:
            if asyncio.run(echo_once(port, context, "ready?")) == "ready?":
                return
        except (OSError, asyncio.TimeoutError, websockets.WebSocketException) as error:
            last_error = error
        time.sleep(0.3)
    sys.exit("%s did not echo within %d s (%s); its log:\n%s" %
             (name, timeout, last_error, log_tail(child)))


# --- The loads ---------------------------------------------------------------------------------

class Tally(object):
    def __init__(self):
        self.done = 0
        self.mismatches = []
        self.errors = []


async def ping_pong(port, context, number, stop_at, tally):
    """One connection: send, wait for the echo, compare, again, until `stop_at`."""
    sequence = 0
    async with websockets.connect("wss://127.0.0.1:%d/echo" % port, ssl=context,
                                  server_hostname="localhost", open_timeout=10, close_timeout=5,
                                  ping_interval=None, compression=None,
                                  max_queue=None) as ws:
        while time.monotonic() < stop_at:
            text = ("c%04d-m%012d-" % (number, sequence)).ljust(PAYLOAD_BYTES, "x")
            await ws.send(text)
            echoed = await asyncio.wait_for(ws.recv(), 10)
            if echoed != text:
                tally.mismatches.append((text, echoed))
                return
            tally.done += 1
            sequence += 1


async def handshake_loop(port, context, stop_at, tally):
    """One worker: open, one message, close, again; each round is one handshake."""
    number = 0
    while time.monotonic() < stop_at:
        text = ("h%012d-" % number).ljust(PAYLOAD_BYTES, "y")
        try:
            echoed = await echo_once(port, context, text)
        except (OSError, asyncio.TimeoutError, websockets.WebSocketException) as error:
            tally.errors.append(repr(error))
            continue
        if echoed != text:
            tally.mismatches.append((text, echoed))
            return
        tally.done += 1
        number += 1


async def run_load(kind, port, context, count, seconds):
    tally = Tally()
    stop_at = time.monotonic() + seconds
    if kind == "messages":
        tasks = [ping_pong(port, context, n, stop_at, tally) for n in range(count)]
    else:
        tasks = [handshake_loop(port, context, stop_at, tally) for _ in range(count)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    tally.errors += [repr(r) for r in results if isinstance(r, BaseException)]
    return tally


def python_measure(kind, port, context, meters, count, options):
    """A warm-up, then the measured load; CPU figures around the measured part only."""
    asyncio.run(run_load(kind, port, context, count, options.warmup))
    meters = dict(meters, load=lambda: process_cpu_seconds(os.getpid()))
    before_cpu, before = sample(meters), time.monotonic()
    tally = asyncio.run(run_load(kind, port, context, count, options.duration))
    elapsed, cpu = time.monotonic() - before, used(meters, before_cpu)
    return summary(tally.done, elapsed, cpu, len(tally.mismatches), len(tally.errors),
                   repr((tally.mismatches + tally.errors + [""])[0]))


def sample(meters):
    return {name: cpu_of() for name, cpu_of in meters.items()}


def used(meters, before):
    now = sample(meters)
    return {name: now[name] - before[name] for name in meters}


def qt_measure(kind, port, ca_pem, meters, count, options, load_pin):
    """The same load from bench/wss/wss_load_client (C++, QWebSocket): it says when the
    warm-up is over and prints its tally when the measured time is."""
    argv = load_pin + [options.load_client, kind, "wss://127.0.0.1:%d/echo" % port, ca_pem,
                       str(count), str(options.warmup), str(options.duration)]
    client = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        line = client.stdout.readline()
        if line.strip() != "measuring":
            sys.exit("wss_load_client did not start: %r" % line)
        meters = dict(meters, load=lambda: process_cpu_seconds(client.pid))
        before_cpu = sample(meters)
        line = client.stdout.readline()
        cpu = used(meters, before_cpu)
        if not line.startswith("{"):
            sys.exit("wss_load_client stopped without its tally (status %s)" % client.poll())
        tally = json.loads(line)
    finally:
        client.kill()
        client.wait()
    return summary(tally["done"], tally["seconds"], cpu, tally["mismatches"], tally["errors"],
                   tally["first_problem"])


def summary(done, seconds, cpu, mismatches, errors, first_problem):
    return {
        "count": done,
        "seconds": seconds,
        "per_second": done / seconds,
        "cpu_seconds": cpu,  # {"proxy", "backend", "load"}: CPU seconds in the measured time
        "cpu_per_item_us": cpu["proxy"] * 1e6 / max(done, 1),
        "busy_percent": {name: 100 * value / seconds for name, value in cpu.items()},
        "mismatches": mismatches,
        "errors": errors,
        "first_problem": first_problem if mismatches or errors else "",
        "valid": not mismatches and not errors and done > 0,
    }


# --- The servers -------------------------------------------------------------------------------

ECHO_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="echoSeq" {ns}>
    <respond/>
</sequence>
"""

DISPATCH_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="dispatchSeq" {ns}>
    <send>
        <endpoint>
            <address uri="{backend}"/>
        </endpoint>
    </send>
</sequence>
"""


INBOUND = """<?xml version="1.0" encoding="UTF-8"?>
<inboundEndpoint {ns} name="{name}" sequence="{sequence}" onError="fault" protocol="wss"
                 suspend="false">
    <parameters>
{parameters}
    </parameters>
</inboundEndpoint>
"""


def write_project(directory, inbound_name, sequence, parameters, sequences, toml):
    config = os.path.join(directory, "src", "main", "synapse-config")
    os.makedirs(os.path.join(config, "sequences"))
    os.makedirs(os.path.join(config, "inbound-endpoints"))
    for name, xml in dict(sequences, fault=FAULT_SEQ).items():
        with open(os.path.join(config, "sequences", name + ".xml"), "w") as f:
            f.write(xml.format(ns=NS))
    lines = "\n".join('        <parameter name="%s">%s</parameter>' % item
                      for item in parameters.items())
    with open(os.path.join(config, "inbound-endpoints", inbound_name + ".xml"), "w") as f:
        f.write(INBOUND.format(ns=NS, name=inbound_name, sequence=sequence, parameters=lines))
    with open(os.path.join(directory, "deployment.toml"), "w") as f:
        f.write(toml)
    return directory


def wss_parameters(port, server):
    return {"inbound.ws.port": str(port), "inbound.ws.host": "127.0.0.1",
            "ws.use.port.offset": "false", "wss.ssl.key.store.file": server.chain_pem}


def echo_backend_project(workdir, port, server):
    return write_project(os.path.join(workdir, "echo-backend"), "echoBackend", "echoSeq",
                         wss_parameters(port, server), {"echoSeq": ECHO_SEQ}, "")


def sluice_proxy_project(workdir, port, server, backend_port, ca_pem):
    parameters = wss_parameters(port, server)
    parameters.update({"ws.client.side.broadcast.level": "0",
                       "ws.outflow.dispatch.sequence": "outDispatchSeq",
                       "ws.outflow.dispatch.fault.sequence": "outFaultSeq"})
    sequences = {"dispatchSeq": DISPATCH_SEQ.replace(
                     "{backend}", "wss://127.0.0.1:%d/websocket" % backend_port),
                 "outDispatchSeq": OUT_DISPATCH_SEQ, "outFaultSeq": OUT_FAULT_SEQ}
    toml = ('[transport.wss]\nsender.enable = true\nsender.truststore_location = "%s"\n'
            % ca_pem)
    return write_project(os.path.join(workdir, "sluice-proxy"), "websocket", "dispatchSeq",
                         parameters, sequences, toml)


NGINX_CONF = """# Generated by bench/wss_compare.py for one run; everything lives in {prefix}.
worker_processes 1;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream wss_backend {{ server 127.0.0.1:{backend_port}; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert_chain};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {{
            proxy_pass https://wss_backend;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_ssl_trusted_certificate {ca};
            proxy_ssl_verify on;
            proxy_ssl_verify_depth 2;
            proxy_ssl_server_name on;
            proxy_ssl_name localhost;
            proxy_ssl_protocols TLSv1.2 TLSv1.3;
            proxy_ssl_session_reuse {session_reuse};
            proxy_read_timeout 600s;
        }}
    }}
}}
"""


def nginx_conf(workdir, port, server, backend_port, ca_pem, session_reuse):
    prefix = os.path.join(workdir, "nginx")
    os.makedirs(prefix)
    # nginx wants the certificate and its chain without the key (chain_pem holds the key too).
    cert_chain = os.path.join(prefix, "server-chain.crt")
    with open(cert_chain, "w") as out:
        for part in (server.cert, ca_pem):
            with open(part) as f:
                out.write(f.read())
    path = os.path.join(prefix, "nginx.conf")
    with open(path, "w") as f:
        f.write(NGINX_CONF.format(prefix=prefix, port=port, backend_port=backend_port,
                                  cert_chain=cert_chain, key=server.key, ca=ca_pem,
                                  session_reuse="on" if session_reuse else "off"))
    return path, prefix


# --- One run per proxy ---------------------------------------------------------------------------

def repin(pid, cpu):
    """Moves every thread of `pid` to `cpu` (the backend under test in the direct run)."""
    subprocess.run(["taskset", "-a", "-p", "-c", cpu, str(pid)], check=True,
                   capture_output=True)


def bench_one(name, port, child, meters, pki, options, load_pin):
    context = client_context(pki)
    wait_echoing(port, context, child, name)
    result = {"name": name}
    for kind, count in (("messages", options.connections),
                        ("handshakes", options.handshake_workers)):
        if options.load_client:
            result[kind] = qt_measure(kind, port, pki.ca_pem, meters, count, options, load_pin)
        else:
            result[kind] = python_measure(kind, port, context, meters, count, options)
        if child.poll() is not None:
            sys.exit("%s exited during the %s load; its log:\n%s" % (name, kind, log_tail(child)))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load before it")
    parser.add_argument("--connections", type=int, default=16,
                        help="ping-pong connections of the message load")
    parser.add_argument("--handshake-workers", type=int, default=8,
                        help="concurrent open/send/close workers of the handshake load")
    parser.add_argument("--sluice", help="the sluice binary (default: build/release/engine/sluice,"
                                         " else build/h/engine/sluice)")
    parser.add_argument("--load", choices=["qt", "python"], default="qt",
                        help="load generator: bench/wss/wss_load_client (C++, built beside "
                             "sluice) or python3-websockets in this process")
    parser.add_argument("--nginx", default="nginx", help="the nginx binary")
    parser.add_argument("--nginx-session-reuse", choices=["on", "off"], default="on",
                        help="nginx's proxy_ssl_session_reuse (its default: on)")
    parser.add_argument("--only", default="direct,nginx,sluice",
                        help="comma-separated subset of direct,nginx,sluice")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    wanted = options.only.split(",")

    sluice = options.sluice
    if not sluice:
        for build in ("release", "h"):
            candidate = os.path.join(SOURCE_DIR, "build", build, "engine", "sluice")
            if os.path.exists(candidate):
                sluice = candidate
                break
    if not sluice or not os.access(sluice, os.X_OK):
        sys.exit("no sluice binary: build one (cmake --preset release && ninja -C build/release "
                 "sluice) or pass --sluice PATH")
    options.load_client = None
    if options.load == "qt":
        options.load_client = os.path.join(os.path.dirname(os.path.dirname(sluice)), "bench",
                                           "wss_load_client")
        if not os.access(options.load_client, os.X_OK):
            sys.exit("no %s: build it (ninja -C <build dir> wss_load_client) or use --load "
                     "python" % options.load_client)
    if "nginx" in wanted and not shutil.which(options.nginx):
        sys.exit("nginx is not installed (Debian: apt-get install nginx), or use --only "
                 "direct,sluice")

    load_pin, proxy_pin = pinning()
    if load_pin:
        os.sched_setaffinity(0, {int(LOAD_CPU)})  # this script is the load generator
    processes = Processes()
    results = []
    with tempfile.TemporaryDirectory(prefix="sluice-wss-bench-") as workdir:
        try:
            pki = TestPki(os.path.join(workdir, "pki"))
            server = pki.issue("server")
            context = client_context(pki)

            backend_port = free_port()
            backend = processes.start(
                load_pin + [sluice, "--log-level", "warn", "run",
                            echo_backend_project(workdir, backend_port, server)],
                os.path.join(workdir, "echo-backend.log"))
            wait_echoing(backend_port, context, backend, "the echo backend")
            backend_cpu = lambda: process_cpu_seconds(backend.pid)  # noqa: E731

            if "direct" in wanted:
                if proxy_pin:
                    repin(backend.pid, PROXY_CPU)
                results.append(bench_one("direct (the backend)", backend_port, backend,
                                         {"proxy": backend_cpu, "backend": backend_cpu}, pki,
                                         options, load_pin))
                if load_pin:
                    repin(backend.pid, LOAD_CPU)

            if "nginx" in wanted:
                port = free_port()
                conf, prefix = nginx_conf(workdir, port, server, backend_port, pki.ca_pem,
                                          options.nginx_session_reuse == "on")
                nginx = processes.start(
                    proxy_pin + [options.nginx, "-c", conf, "-p", prefix, "-g", "daemon off;"],
                    os.path.join(workdir, "nginx.log"))
                results.append(bench_one("nginx", port, nginx,
                                         {"proxy": lambda: tree_cpu_seconds(nginx.pid),
                                          "backend": backend_cpu}, pki, options, load_pin))
                processes.stop(nginx)

            if "sluice" in wanted:
                port = free_port()
                project = sluice_proxy_project(workdir, port, server, backend_port, pki.ca_pem)
                proxy = processes.start(
                    proxy_pin + [sluice, "--log-level", "warn", "run", project],
                    os.path.join(workdir, "sluice-proxy.log"))
                results.append(bench_one("Sluice", port, proxy,
                                         {"proxy": lambda: process_cpu_seconds(proxy.pid),
                                          "backend": backend_cpu}, pki, options, load_pin))
                processes.stop(proxy)
        finally:
            processes.close()

    print_report(results, options, sluice, bool(proxy_pin))
    if options.json:
        with open(options.json, "w") as f:
            json.dump({"options": vars(options), "pinned": bool(proxy_pin),
                       "results": results}, f, indent=2)


def print_report(results, options, sluice, pinned):
    print("\nwss proxying: %d ping-pong connections of %d-byte text messages, and %d workers "
          "doing open/one message/close, %g s each after a %g s warm-up" %
          (options.connections, PAYLOAD_BYTES, options.handshake_workers, options.duration,
           options.warmup))
    if options.load_client:
        load = "%s (C++ QWebSocket clients, one thread)" % options.load_client
    else:
        load = "python3-websockets %s asyncio clients, one process" % websockets.__version__
    print("backend: Sluice (%s) wss inbound endpoint with <respond/>, one process" % sluice)
    print("load: %s" % load)
    if pinned:
        print("pinned: proxy under test on CPU %s; load and backend on CPU %s (for direct, the "
              "backend on CPU %s)" % (PROXY_CPU, LOAD_CPU, PROXY_CPU))
    else:
        print("not pinned (one CPU, or no taskset)")
    print("nginx: proxy_ssl_session_reuse %s; each proxied handshake also opens a new TLS "
          "connection to the backend (Sluice: a new backend connection per client, full "
          "handshake)\n" % options.nginx_session_reuse)
    print("| proxy | msgs/s | proxy CPU µs/msg | handshakes/s | proxy CPU ms/handshake | valid |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        m, h = r["messages"], r["handshakes"]
        print("| %s | %s | %.1f | %s | %.2f | %s |" % (
            r["name"], format(round(m["per_second"]), ","), m["cpu_per_item_us"],
            format(round(h["per_second"]), ","), h["cpu_per_item_us"] / 1000,
            "yes" if m["valid"] and h["valid"] else "NO"))
    # Which process was the limit: one near 100 % of its CPU is; none near it means latency.
    print("\nCPU busy in the measured time, % of one CPU (proxy / backend / load generator):\n")
    print("| proxy | messages | handshakes |")
    print("| --- | --- | --- |")
    for r in results:
        print("| %s | %s | %s |" % (r["name"], busy(r["messages"]), busy(r["handshakes"])))
    for r in results:
        for kind in ("messages", "handshakes"):
            part = r[kind]
            if not part["valid"]:
                print("INVALID %s %s: %d completed, %d echoes differ from what was sent, "
                      "%d errors; first: %s" % (r["name"], kind, part["count"],
                                                part["mismatches"], part["errors"],
                                                part["first_problem"]))


def busy(part):
    percent = part["busy_percent"]
    return "%.0f / %.0f / %.0f" % (percent["proxy"], percent["backend"], percent["load"])


if __name__ == "__main__":
    main()
