# SPDX-License-Identifier: Apache-2.0
"""bench/'s instrument, checked against peers it did not write: sluice_loadgen must mark a run
with a corrupted, lost, duplicated, reordered or retyped echo INVALID and name the first problem
(python3-websockets echo servers that misbehave once, peers/ws_faulty_echo.py), and must pass
an honest one; sluice_echo_backend must echo text as text and binary as binary and count what
it received; and the two must run through Sluice's seed proxy, as bench/compare.py runs them.
No timing is asserted: only counts and verdicts."""
import asyncio
import json
import os
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
import harness  # noqa: E402

import websockets  # noqa: E402

BUILD_DIR = os.path.dirname(os.path.dirname(os.path.abspath(harness.SLUICE)))
LOADGEN = os.path.join(BUILD_DIR, "bench", "sluice_loadgen")
ECHO_BACKEND = os.path.join(BUILD_DIR, "bench", "sluice_echo_backend")


def loadgen(url, *args, timeout=60):
    """Runs sluice_loadgen; its exit status and its last JSON line (the result)."""
    run = subprocess.run([LOADGEN, "--url", url, "--warmup", "0", "--drain", "1", *args],
                         capture_output=True, text=True, timeout=timeout)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if not lines or "valid" not in lines[-1]:
        raise AssertionError("no result from sluice_loadgen (status %d): %s" %
                             (run.returncode, run.stderr))
    return run.returncode, lines[-1], lines[:-1]


class LoadgenTest(unittest.TestCase):
    def setUp(self):
        for binary in (LOADGEN, ECHO_BACKEND):
            if not os.access(binary, os.X_OK):
                self.fail("%s is not built (target %s; needs libboost-dev)" %
                          (binary, os.path.basename(binary)))
        self.work = harness.Workdir(self)

    def faulty_echo(self, fault, at=10):
        child = self.work.child([harness.PYTHON, os.path.join(harness.PEERS_DIR,
                                                              "ws_faulty_echo.py"),
                                 "--fault", fault, "--at", str(at), "--lifetime", "60"],
                                65, "faulty-" + fault)
        port = json.loads(child.process.stdout.readline())["port"]
        return "ws://127.0.0.1:%d/" % port

    def echo_backend(self, *args):
        child = self.work.child([ECHO_BACKEND, *args], 60, "echo-backend")
        child.port = json.loads(child.process.stdout.readline())["port"]
        return child

    def counts(self, backend):
        backend.process.send_signal(signal.SIGUSR1)
        return json.loads(backend.process.stdout.readline())

    def assert_invalid(self, fault, counter, words, *args):
        status, result, _ = loadgen(self.faulty_echo(fault), "--connections", "2",
                                    "--duration", "0.5", *args)
        self.assertEqual(status, 1, result)
        self.assertFalse(result["valid"], result)
        self.assertGreaterEqual(result[counter], 1, result)
        self.assertIn(words, result["first_problem"])

    def test_honest_echo_is_valid_text_and_binary(self):
        url = self.faulty_echo("echo")
        for extra in ([], ["--binary", "--size", "16384"]):
            status, result, phases = loadgen(url, "--connections", "3", "--in-flight", "2",
                                             "--duration", "0.5", *extra)
            self.assertEqual(status, 0, result)
            self.assertTrue(result["valid"], result)
            self.assertGreater(result["echoed_in_window"], 0)
            self.assertEqual(result["latency_ms"]["count"], result["sent_in_window"])
            for key in ("lost", "duplicated", "reordered", "corrupted", "wrong_type", "closed"):
                self.assertEqual(result[key], 0, key)
            self.assertEqual([p["phase"] for p in phases], ["measuring", "measured"])

    def test_fixed_rate_sends_on_schedule(self):
        # Open loop: the messages whose scheduled time falls in the window are counted, however
        # late they went out, so the count follows the rate and the window, not the peer.
        status, result, _ = loadgen(self.faulty_echo("echo"), "--mode", "rate", "--rate", "400",
                                    "--connections", "4", "--duration", "1")
        self.assertEqual(status, 0, result)
        self.assertLessEqual(abs(result["sent_in_window"] - 400), 4, result)
        self.assertEqual(result["latency_ms"]["count"], result["sent_in_window"])

    def test_corrupted_header_byte_is_invalid(self):
        # 64 bytes: the middle byte is in the checksum field of the header.
        self.assert_invalid("corrupt", "corrupted", "in echo")

    def test_corrupted_payload_byte_is_invalid(self):
        self.assert_invalid("corrupt", "corrupted", "payload bytes corrupted", "--size", "300")

    def test_corrupted_binary_byte_is_invalid(self):
        self.assert_invalid("corrupt", "corrupted", "payload bytes corrupted", "--binary",
                            "--size", "4096")

    def test_lost_message_is_invalid(self):
        status, result, _ = loadgen(self.faulty_echo("drop"), "--connections", "2",
                                    "--duration", "0.5")
        self.assertEqual(status, 1)
        self.assertEqual(result["lost"], 1, result)
        self.assertIn("not echoed", result["first_problem"])

    def test_duplicated_message_is_invalid(self):
        self.assert_invalid("duplicate", "duplicated", "echoed twice")

    def test_reordered_messages_are_invalid(self):
        # Two in flight per connection, so message at+1 is sent before at's echo is back.
        self.assert_invalid("reorder", "reordered", "echoed before message", "--in-flight", "2")

    def test_text_echoed_as_binary_is_invalid(self):
        self.assert_invalid("retype", "wrong_type", "text message echoed as binary")

    def test_echo_backend_keeps_frame_types_and_counts(self):
        backend = self.echo_backend()
        url = "ws://127.0.0.1:%d/" % backend.port

        async def talk():
            async with websockets.connect(url) as ws:
                await ws.send("héllo")
                text = await ws.recv()
                await ws.send(b"\x00\xff\x80binary")
                data = await ws.recv()
                return text, data
        text, data = asyncio.run(talk())
        self.assertEqual(text, "héllo")
        self.assertEqual(data, b"\x00\xff\x80binary")
        self.assertEqual(self.counts(backend)["received"], 2)

    def test_counting_backend_counts_without_echoing(self):
        backend = self.echo_backend("--count-only")
        url = "ws://127.0.0.1:%d/" % backend.port

        async def talk():
            async with websockets.connect(url) as ws:
                for i in range(25):
                    await ws.send("message %d" % i)
                await ws.ping()  # answered after the 25 messages were read
        asyncio.run(talk())
        harness.wait_until(lambda: self.counts(backend)["received"] == 25, 10,
                           "25 messages counted")

    def test_through_sluice_messages_and_idle_connections(self):
        backend = self.echo_backend()
        port = harness.free_port()
        project = harness.proxy_project(self.work.path, port,
                                        "ws://127.0.0.1:%d/websocket" % backend.port)
        self.work.sluice(project)
        url = "ws://127.0.0.1:%d/" % port
        for extra in ([], ["--binary", "--size", "16384"]):
            status, result, _ = loadgen(url, "--connections", "20", "--in-flight", "2",
                                        "--duration", "0.5", *extra)
            self.assertEqual(status, 0, result)
            self.assertTrue(result["valid"], result)
        status, result, phases = loadgen(url, "--mode", "connect", "--connections", "300",
                                         "--hold", "1", "--checks", "2", "--drain", "10")
        self.assertEqual(status, 0, result)
        self.assertEqual(phases[0]["phase"], "holding")
        self.assertEqual(phases[0]["paired"], 300)
        self.assertEqual(result["connected"], 300)
        self.assertEqual(result["alive_at_first_check"], 300)
        self.assertEqual(result["alive_at_last_check"], 300)
        self.assertEqual(result["dropped"], 0)


if __name__ == "__main__":
    unittest.main()
