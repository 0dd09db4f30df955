# SPDX-License-Identifier: Apache-2.0
"""`sluice logs` against a running `sluice run`: --follow --json --connection prints the live
events of that one connection (and nothing of another client's), without --follow it prints the
recorded events in a readable form, and a refused token or an unreachable runtime exits 1 with a
message that says which."""
import asyncio
import json
import os
import signal
import unittest

import websockets

from peers.harness import SLUICE, Workdir, _Lines, free_port, run_async, wait_until
from peers.management_fixture import ManagedRuntime


async def echo(ws, text):
    await ws.send(text)
    return await asyncio.wait_for(ws.recv(), 10)


class LogsCommandTest(unittest.TestCase):
    def setUp(self):
        self.workdir = Workdir(self)
        self.runtime = ManagedRuntime(self.workdir)

    def logs(self, *args, token_file=None, name="logs"):
        argv = [SLUICE, "logs", "--url", self.runtime.url,
                "--token-file", token_file or self.runtime.token_file, *args]
        return self.workdir.child(argv, lifetime=60, name=name)

    def finished(self, child, timeout=20):
        code = child.process.wait(timeout)
        return code, child.process.stdout.read().decode(), child.stderr_text()

    def test_follow_json_connection_prints_only_that_connections_live_events(self):
        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as mine, \
                    websockets.connect(self.runtime.ws_url) as other:
                mine_id = self.runtime.connection_id_of(mine)
                other_id = self.runtime.connection_id_of(other)
                follower = self.logs("--follow", "--json", "--connection", mine_id)
                lines = _Lines(follower.process.stdout, json.loads)
                # `sluice logs` needs a moment to connect: messages are sent until the follower
                # printed one (each pair also carries a message of the other client).
                async def send_until_seen(text):
                    for _ in range(50):
                        await echo(other, "other " + text)
                        self.assertEqual(await echo(mine, text), text)
                        found = [l for l in lines.items()
                                 if l.get("kind") == "frame-in" and l.get("payload") == text]
                        if found:
                            return
                        await asyncio.sleep(0.1)
                    self.fail("sluice logs --follow printed no frame-in of %r; stderr: %s"
                              % (text, follower.stderr_text()))
                await send_until_seen("first")
                self.assertEqual(await echo(mine, "second"), "second")
                await asyncio.to_thread(
                    lines.wait_for,
                    lambda l: l.get("kind") == "frame-out" and l.get("payload") == "second"
                    and l.get("peer") == "client", 10, "frame-out of 'second' to the client")
                printed = lines.items()
                self.assertTrue(printed)
                self.assertEqual({l.get("connection") for l in printed}, {mine_id}, printed)
                self.assertNotIn(other_id, json.dumps(printed))
                self.assertFalse(any("other" in l.get("payload", "") for l in printed))
                kinds = [l["kind"] for l in printed if l.get("payload") == "second"]
                self.assertEqual(kinds[0], "frame-in")
                ids = [l["id"] for l in printed]
                self.assertEqual(ids, sorted(set(ids)))  # in order, each once
                follower.kill()
        run_async(scenario())

    def test_follow_ends_with_exit_0_when_the_runtime_stops(self):
        follower = self.logs("--follow")
        lines = _Lines(follower.process.stdout)

        async def connect_once():
            async with websockets.connect(self.runtime.ws_url) as client:
                self.assertEqual(await echo(client, "hi"), "hi")
        run_async(connect_once())
        lines.wait_for(lambda line: "frame-in" in line, 10, "a frame-in line")
        self.runtime.child.process.send_signal(signal.SIGTERM)
        self.assertEqual(self.runtime.child.process.wait(15), 0)
        code = follower.process.wait(15)
        self.assertEqual(code, 0, follower.stderr_text())
        self.assertIn("the runtime closed the event stream", follower.stderr_text())

    def test_without_follow_prints_the_recorded_events_readably_and_exits_0(self):
        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as client:
                self.assertEqual(await echo(client, "recorded hello"), "recorded hello")
                return self.runtime.connection_id_of(client)
        client_id = run_async(scenario())
        code, out, err = self.finished(self.logs("--connection", client_id, "--kind", "frame-in"))
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)  # from the client, then the backend's reply
        self.assertIn(client_id, lines[0])
        self.assertIn("client ->", lines[0])
        self.assertIn("frame-in", lines[0])
        self.assertIn("recorded hello", lines[0])
        self.assertIn("backend ->", lines[1])

    def test_a_wrong_token_exits_1_saying_the_token_was_refused(self):
        wrong = os.path.join(self.workdir.path, "wrong-token")
        with open(wrong, "w") as f:
            f.write("0" * 64 + "\n")
        os.chmod(wrong, 0o600)
        for args in ((), ("--follow", "--json")):
            code, out, err = self.finished(self.logs(*args, token_file=wrong, name="wrong"))
            self.assertEqual(code, 1, args)
            self.assertEqual(out, "")
            self.assertIn("refused the token", err)
            self.assertIn("401", err)

    def test_an_unreachable_runtime_or_a_shared_token_file_exits_1_with_a_message(self):
        closed = "http://127.0.0.1:%d" % free_port()
        child = self.workdir.child([SLUICE, "logs", "--follow", "--url", closed, "--token-file",
                                    self.runtime.token_file], lifetime=60, name="unreachable")
        code, _, err = self.finished(child)
        self.assertEqual(code, 1)
        self.assertIn("cannot read events from " + closed, err)
        self.assertIn("refused", err.lower())

        os.chmod(self.runtime.token_file, 0o644)
        code, _, err = self.finished(self.logs(name="shared"))
        self.assertEqual(code, 1)
        self.assertIn("accessible by group or others", err)


if __name__ == "__main__":
    unittest.main()
