# SPDX-License-Identifier: Apache-2.0
"""The processes bench/compare.py measures: the echo backend and the proxies in front of it.

Every proxy is started from a configuration generated here into a temporary directory, on ports
picked free at run time, pinned with taskset to the CPU the caller gives:
  direct    a second sluice_echo_backend (the limit: no proxy at all)
  nginx     Debian's nginx, 1 worker, WebSocket proxy_pass with the Upgrade / Connection headers
  Node-RED  node-red (npm, bench/node-red): ws_proxy_flows.json, or flows.json for HTTP -> WS
  Sluice    `sluice run` of a copy of projects/websocket-echo (or projects/http-to-websocket)
            with its ports and backend rewritten
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

from bench_support import child_pids, free_port, log_tail, tree_cpu_split, tree_memory_kib

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(BENCH_DIR)
NODE_RED_DIR = os.path.join(BENCH_DIR, "node-red")
SEED_BACKEND = "ws://localhost:8082/websocket"
NODE_RED_BACKEND = "ws://127.0.0.1:8082/websocket"
HTTP_SERVICE_PATH = "/services/websocketProxy1"
# Sluice's default ws.max.connections is 10 000 per inbound endpoint; W3 holds 20 000 clients,
# as nginx's worker_connections is raised for it below.
MAX_CONNECTIONS = 60000


def wait_listening(port, child, name, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            sys.exit("%s exited with status %d before listening; its log:\n%s" %
                     (name, child.returncode, log_tail(child)))
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit("%s did not listen on port %d within %d s; its log:\n%s" %
             (name, port, timeout, log_tail(child)))


class EchoBackend(object):
    """sluice_echo_backend: echoes (or with count_only, counts) every message."""

    def __init__(self, processes, binary, workdir, pin, name="backend", count_only=False):
        argv = pin + [binary] + (["--count-only"] if count_only else [])
        self.child = processes.start(argv, os.path.join(workdir, name + ".log"),
                                     stdout=subprocess.PIPE, text=True)
        line = self.child.stdout.readline()
        if not line:
            sys.exit("%s did not start; its log:\n%s" % (name, log_tail(self.child)))
        self.port = json.loads(line)["port"]
        self.url = "ws://127.0.0.1:%d/websocket" % self.port

    def counts(self):
        """{"received", "connections", "accepted"} now (asked with SIGUSR1)."""
        self.child.send_signal(signal.SIGUSR1)
        return json.loads(self.child.stdout.readline())

    def settled_received(self, timeout=5):
        """The received count once it stops moving (frames still in flight)."""
        last = self.counts()["received"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.counts()["received"]
            if now == last:
                break
            last = now
        return last


class Peer(object):
    """One target: its name, its WebSocket URLs (text, binary), its process for /proc."""

    def __init__(self, name, child, text_url, binary_url=None, http_url=None):
        self.name = name
        self.child = child
        self.text_url = text_url
        self.binary_url = binary_url or text_url
        self.http_url = http_url

    def url(self, binary):
        return self.binary_url if binary else self.text_url

    def cpu_split(self):
        """(user, system) CPU seconds of the process and its workers."""
        return tree_cpu_split(self.child.pid)

    def cpu_seconds(self):
        return sum(self.cpu_split())

    def memory_kib(self):
        return tree_memory_kib(self.child.pid)

    def pids(self):
        return [self.child.pid] + child_pids(self.child.pid)


def start_direct(processes, tools, workdir, pin):
    backend = EchoBackend(processes, tools.backend, workdir, pin, name="direct")
    return Peer("direct", backend.child, "ws://127.0.0.1:%d/" % backend.port)


NGINX_CONF = """\
worker_processes 1;
worker_rlimit_nofile %(nofile)d;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events {
    worker_connections %(worker_connections)d;
}
http {
    access_log off;
    client_body_temp_path %(dir)s/body;
    proxy_temp_path %(dir)s/proxy;
    fastcgi_temp_path %(dir)s/fastcgi;
    uwsgi_temp_path %(dir)s/uwsgi;
    scgi_temp_path %(dir)s/scgi;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    server {
        listen 127.0.0.1:%(port)d backlog=4096;
        location / {
            proxy_pass http://127.0.0.1:%(backend_port)d;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
        }
    }
}
"""


def start_nginx(processes, backend, workdir, pin, connections, nofile, single_process=False):
    """nginx for `connections` sockets (client + backend sides) within `nofile` open files. Its
    connection table is allocated up front (its RSS grows with worker_connections, not with the
    load) and counts more than the sockets open, so it gets half as many again. single_process:
    no master, the one process serves (for callgrind: a worker forked by a root master runs as
    another user, which valgrind's command channel cannot reach)."""
    directory = os.path.join(workdir, "nginx")
    os.makedirs(directory)
    port = free_port()
    conf = os.path.join(directory, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF % {"dir": directory, "port": port, "backend_port": backend.port,
                              "nofile": nofile, "worker_connections": connections * 3 // 2})
    directives = "daemon off;" + (" master_process off;" if single_process else "")
    child = processes.start(pin + ["nginx", "-c", conf, "-p", directory, "-g", directives],
                            os.path.join(directory, "stdout.log"))
    wait_listening(port, child, "nginx")
    return Peer("nginx", child, "ws://127.0.0.1:%d/websocket" % port)


def node_red_user_dir(workdir, name, flow_file, backend_url):
    """A userDir holding the settings and `flow_file` with its backend URI rewritten."""
    user_dir = os.path.join(workdir, name)
    os.makedirs(user_dir)
    shutil.copy(os.path.join(NODE_RED_DIR, "settings.js"), user_dir)
    with open(os.path.join(NODE_RED_DIR, flow_file)) as f:
        flows = json.load(f)
    for node in flows:
        if node.get("type") == "websocket-client":
            assert node["path"] == NODE_RED_BACKEND, node["path"]
            node["path"] = backend_url
    with open(os.path.join(user_dir, "flows.json"), "w") as f:
        json.dump(flows, f)
    return user_dir


def start_node_red(processes, backend, workdir, pin, http=False):
    port = free_port()
    name = "node-red-http" if http else "node-red"
    user_dir = node_red_user_dir(workdir, name, "flows.json" if http else "ws_proxy_flows.json",
                                 backend.url)
    red_js = os.path.join(NODE_RED_DIR, "node_modules", "node-red", "red.js")
    env = dict(os.environ, BENCH_NODE_RED_PORT=str(port), NODE_ENV="production")
    child = processes.start(pin + ["node", red_js, "--userDir", user_dir, "--settings",
                                   os.path.join(user_dir, "settings.js")],
                            os.path.join(user_dir, "node-red.log"), env=env)
    wait_listening(port, child, "Node-RED")
    base = "ws://127.0.0.1:%d" % port
    return Peer("Node-RED", child, base + "/ws/text", base + "/ws/binary",
                http_url="http://127.0.0.1:%d%s" % (port, HTTP_SERVICE_PATH))


def rewrite(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        sys.exit("%s no longer holds %r; update bench/compare_peers.py" % (path, old))
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))


def sluice_ws_project(workdir, name, port, backend_url, threads, events):
    """projects/websocket-echo without its own echo backend, listening on `port`, sending to
    `backend_url`; its sequences as they are (property + send in, log + respond out)."""
    project = os.path.join(workdir, name)
    shutil.copytree(os.path.join(SOURCE_DIR, "projects", "websocket-echo"), project)
    config = os.path.join(project, "src", "main", "synapse-config")
    os.remove(os.path.join(config, "inbound-endpoints", "echoBackend.xml"))
    os.remove(os.path.join(config, "sequences", "echoBackendSeq.xml"))
    inbound = os.path.join(config, "inbound-endpoints", "websocket.xml")
    rewrite(inbound, '"inbound.ws.port">9092<', '"inbound.ws.port">%d<' % port)
    rewrite(inbound, "</parameters>",
            '    <parameter name="ws.max.connections">%d</parameter>\n    </parameters>' %
            MAX_CONNECTIONS)
    rewrite(os.path.join(config, "sequences", "dispatchSeq.xml"), SEED_BACKEND, backend_url)
    with open(os.path.join(project, "deployment.toml"), "a") as f:
        f.write("\n[server]\nworker_threads = %d\n" % threads)
        if events:
            f.write("\n[events]\nrecord = true\n")
    return project


def sluice_http_project(workdir, port, backend_url, threads):
    """projects/http-to-websocket (the seed's example 2) on `port`, sending to `backend_url`."""
    project = os.path.join(workdir, "sluice-http")
    shutil.copytree(os.path.join(SOURCE_DIR, "projects", "http-to-websocket"), project)
    rewrite(os.path.join(project, "src", "main", "synapse-config", "sequences", "dispatchSeq.xml"),
            SEED_BACKEND, backend_url)
    with open(os.path.join(project, "deployment.toml"), "a") as f:
        f.write("\n[server]\nhttp_listener_port = %d\nworker_threads = %d\n" % (port, threads))
    return project


def start_sluice(processes, tools, backend, workdir, pin, name="Sluice", threads=1,
                 events=False, http=False, env=None):
    port = free_port()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if http:
        project = sluice_http_project(workdir, port, backend.url, threads)
    else:
        project = sluice_ws_project(workdir, slug, port, backend.url, threads, events)
    # warn: the outflow's <log level="full"/> prints nothing, as nginx runs with access_log off.
    child = processes.start(pin + [tools.sluice, "--log-level", "warn", "run", "--no-management",
                                   project], os.path.join(workdir, slug + ".log"),
                            env=dict(os.environ, **tools.sluice_env, **(env or {})))
    wait_listening(port, child, name)
    if http:
        return Peer(name, child, None, http_url="http://127.0.0.1:%d%s" % (port, HTTP_SERVICE_PATH))
    return Peer(name, child, "ws://127.0.0.1:%d/" % port)
