#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs an installed sample project and proxies a message through it with python3-websockets.

    echo_through_installed.py PROJECT [--as-user USER]

Copies PROJECT (the installed websocket-echo sample) to a temporary directory with its ports
replaced by free ones, runs `sluice run` on it (as USER, like sluice@.service, when given), sends
a text frame to the client-facing inbound endpoint and expects it back through the backend
endpoint. Exits 0 on success, 1 with the reason otherwise. Used by scripts/test-install inside
the clean Debian tree, so it needs nothing but Debian's python3 and python3-websockets.
"""
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import websockets

# The sample's fixed ports: the client-facing endpoint and the echo backend it sends to.
SAMPLE_PORTS = ("9092", "8082")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_with_free_ports(project, target):
    shutil.copytree(project, target)
    ports = {old: str(free_port()) for old in SAMPLE_PORTS}
    for folder, _, files in os.walk(target):
        for name in files:
            if not name.endswith(".xml"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for old, new in ports.items():
                text = text.replace(old, new)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    return int(ports["9092"])


async def round_trip(port):
    async with websockets.connect("ws://127.0.0.1:%d/" % port, open_timeout=10) as ws:
        await ws.send("hello from the installed sluice")
        return await asyncio.wait_for(ws.recv(), 10)


def main():
    project = sys.argv[1]
    user = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--as-user" else None
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        target = os.path.join(tmp, "echo")
        port = copy_with_free_ports(project, target)
        command = ["sluice", "run", "--no-management", target]
        if user:
            # setpriv execs sluice itself (runuser would stay in between and turn SIGTERM into
            # a kill), so the signal reaches the runtime as systemd's would.
            command = ["setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"] + command
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        try:
            listening = [process.stdout.readline() for _ in range(2)]
            if not all("listening on" in line for line in listening):
                print("sluice run did not listen: %r %s" % (listening, process.stderr.read()))
                return 1
            reply = asyncio.run(round_trip(port))
            print("reply: %s" % reply)
            if "hello from the installed sluice" not in reply:
                print("unexpected reply %r" % reply)
                return 1
        finally:
            process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            if process.poll() is None:
                process.kill()
        if process.returncode != 0:
            print("sluice run exited %s after SIGTERM: %s" % (process.returncode,
                                                             process.stderr.read()))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
