# SPDX-License-Identifier: Apache-2.0
"""What the cluster tests and bench/cluster_bench.py share: redis-server and nginx started on free
ports in a temporary directory (bounded in time, stopped with the test), and `sluice run` nodes
with a [cluster] table and a management API of their own.

Each node runs the same small project: inbound endpoint `room` (broadcast level 1) and `room2`
(level 2), both answering every message with <respond/>, i.e. broadcasting it."""
import json
import os
import re
import subprocess

from peers.harness import (FAULT_SEQ, NS, SLUICE, _Lines, free_port, inbound_xml,
                           port_is_listening, wait_until, write_project)

SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", ".."))
NGINX_SAMPLE = os.path.join(SOURCE_DIR, "packaging", "nginx", "sluice-cluster.conf")
ECHO_SEQ = '<sequence name="echoSeq" %s><respond/></sequence>' % NS


class Redis:
    """redis-server on 127.0.0.1 without persistence; TLS-only with a password when asked."""

    def __init__(self, workdir, port=None, tls=None, password=None, name="redis"):
        self.workdir = workdir
        self.port = port or free_port()
        argv = ["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", workdir.path, "--loglevel", "warning"]
        if tls:
            argv += ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", tls.cert,
                     "--tls-key-file", tls.key, "--tls-ca-cert-file", tls.ca,
                     "--tls-auth-clients", "yes"]
        else:
            argv += ["--port", str(self.port)]
        if password:
            argv += ["--requirepass", password]
        self.child = workdir.child(argv, lifetime=120, name=name)
        wait_until(lambda: port_is_listening(self.port) or self._exited(), 10,
                   "redis-server listening on %d" % self.port)
        self._exited()

    def _exited(self):
        if not self.child.alive():
            raise AssertionError("redis-server exited:\n" + self.child.stderr_text())
        return False

    def stop(self):
        self.child.terminate()


def cluster_project(root, name, ws_port, ws2_port, cluster_toml):
    """The node's project under root/name: endpoints room (level 1) and room2 (level 2)."""
    params = {"ws.client.side.broadcast.level": "1"}
    inbounds = {
        "room": inbound_xml("room", ws_port, "echoSeq", params),
        "room2": inbound_xml("room2", ws2_port, "echoSeq",
                             {"ws.client.side.broadcast.level": "2"}),
    }
    project = write_project(os.path.join(root, name),
                            {"echoSeq": ECHO_SEQ, "fault": FAULT_SEQ.format(ns=NS)}, inbounds)
    with open(os.path.join(project, "deployment.toml"), "a") as f:
        f.write("\n" + cluster_toml)
    return project


class Node:
    """`sluice run --management-port 0` on a cluster project; stopped by the test's cleanup."""

    def __init__(self, workdir, name, redis_port, extra_toml="", env=None, heartbeat_ms=300):
        self.name = name
        self.port, self.port2 = free_port(), free_port()
        toml = ('[cluster]\nredis = "127.0.0.1:%d"\nnode = "%s"\nheartbeat_ms = %d\n%s'
                % (redis_port, name, heartbeat_ms, extra_toml))
        self.project = cluster_project(workdir.path, name, self.port, self.port2, toml)
        home = os.path.join(workdir.path, name + "-home")
        self.token_file = os.path.join(home, "management-token")
        self.env = dict(os.environ, SLUICE_MANAGEMENT_TOKEN_FILE=self.token_file,
                        SLUICE_DATA_DIR=os.path.join(home, "data"), **(env or {}))
        self.child = workdir.child([SLUICE, "run", "--management-port", "0", self.project],
                                   lifetime=120, name="sluice-" + name, env=self.env)
        self.stdout = _Lines(self.child.process.stdout)
        found = wait_until(self._listening, 15, "the management API line of node " + name)
        self.api = "http://127.0.0.1:%s" % found.group(1)
        wait_until(lambda: port_is_listening(self.port) and port_is_listening(self.port2), 10,
                   "node %s's endpoints" % name)
        with open(self.token_file) as f:
            self.token = f.read().strip()

    def _listening(self):
        if not self.child.alive():
            raise AssertionError("sluice run (%s) exited:\n%s"
                                 % (self.name, self.child.stderr_text()))
        return re.search(r"management API listening on http://127\.0\.0\.1:(\d+)",
                         self.child.stderr_text())

    def url(self, path="/ws/room", level2=False):
        return "ws://127.0.0.1:%d%s" % (self.port2 if level2 else self.port, path)

    def cluster(self):
        """GET /management/cluster with curl (a real HTTP client)."""
        result = subprocess.run(["curl", "-sS", "--max-time", "10", "-H",
                                 "Authorization: Bearer " + self.token,
                                 self.api + "/management/cluster"],
                                capture_output=True, timeout=15)
        if result.returncode != 0:
            raise AssertionError("curl failed: " + result.stderr.decode())
        return json.loads(result.stdout)

    def log_lines(self, text):
        return [line for line in self.child.stderr_text().splitlines() if text in line]


class Nginx:
    """nginx in the foreground with packaging/nginx/sluice-cluster.conf, its server lines and
    listen port replaced by the test's; everything it writes stays in the temporary directory."""

    def __init__(self, workdir, ws_ports, http_ports=None):
        self.port = free_port()
        prefix = os.path.join(workdir.path, "nginx")
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        with open(NGINX_SAMPLE) as f:
            sample = f.read()
        sample = _replace_servers(sample, "sluice_websocket", ws_ports)
        sample = _replace_servers(sample, "sluice_http", http_ports or ws_ports)
        sample, count = re.subn(r"listen 127\.0\.0\.1:\d+;", "listen 127.0.0.1:%d;" % self.port,
                                sample)
        assert count == 1, "the sample no longer has one listen line"
        with open(os.path.join(prefix, "sluice-cluster.conf"), "w") as f:
            f.write(sample)
        temp = "\n".join("    %s_temp_path %s;" % (kind, os.path.join(prefix, kind))
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(os.path.join(prefix, "nginx.conf"), "w") as f:
            f.write("daemon off;\nmaster_process off;\npid %s;\nerror_log %s warn;\n"
                    "events { worker_connections 256; }\nhttp {\n    access_log off;\n%s\n"
                    "    include %s;\n}\n"
                    % (os.path.join(prefix, "nginx.pid"), os.path.join(prefix, "error.log"),
                       temp, os.path.join(prefix, "sluice-cluster.conf")))
        self.error_log = os.path.join(prefix, "error.log")
        self.child = workdir.child(["nginx", "-p", prefix + "/", "-c",
                                    os.path.join(prefix, "nginx.conf"), "-e", self.error_log],
                                   lifetime=120, name="nginx")
        wait_until(lambda: port_is_listening(self.port) or self._exited(), 10,
                   "nginx listening on %d" % self.port)

    def _exited(self):
        if not self.child.alive():
            raise AssertionError("nginx exited:\n%s" % self.child.stderr_text())
        return False

    def url(self, path="/ws/room"):
        return "ws://127.0.0.1:%d%s" % (self.port, path)


def _replace_servers(text, upstream, ports):
    block = re.search(r"upstream %s \{(.*?)\}" % upstream, text, re.S)
    assert block, "the sample has no upstream " + upstream
    body = block.group(1)
    lines = [l for l in body.splitlines() if l.strip().startswith("server ")]
    assert lines, "upstream %s has no server lines" % upstream
    options = lines[0].strip().split(" ", 2)[2] if lines[0].count(" ") >= 2 else ";"
    indent = lines[0][:len(lines[0]) - len(lines[0].lstrip())]
    servers = "\n".join("%sserver 127.0.0.1:%d %s" % (indent, p, options) for p in ports)
    kept = "\n".join(l for l in body.splitlines() if not l.strip().startswith("server "))
    return text.replace(block.group(0), "upstream %s {%s\n%s\n}" % (upstream, kept.rstrip("\n"),
                                                                    servers))
