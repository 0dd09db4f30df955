# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the end-to-end tests: where the binary is, running it, free ports."""
import os
import socket
import subprocess

SLUICE = os.environ.get("SLUICE_BIN", "sluice")
SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
TESTS_DIR = os.path.join(SOURCE_DIR, "tests")


def run_sluice(*args, cwd=None, timeout=60):
    """Runs sluice to completion; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([SLUICE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def port_is_listening(port, host="127.0.0.1"):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port():
    """A port the kernel just handed out on 127.0.0.1 and nobody holds now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
