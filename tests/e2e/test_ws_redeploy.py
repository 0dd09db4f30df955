# SPDX-License-Identifier: Apache-2.0
"""Hot redeploy of `sluice run` by SIGHUP (as `kill -HUP`, what MI users reach for): a
python3-websockets client stays connected, its backend connection (python3-websockets too) is
not reopened, and the next message runs through the changed sequence. A broken artifact is
refused with file:line:col and the old flow keeps serving."""
import asyncio
import os
import signal
import unittest

from peers.harness import DISPATCH_SEQ, NS, Proxy, run_async

OUT_REPLYING = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="outDispatchSeq" {ns}>
    <payloadFactory media-type="text">
        <format>{text}</format>
        <args/>
    </payloadFactory>
    <respond/>
</sequence>
"""

OUT_BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="outDispatchSeq" {ns}>
    <respond/>
    <noSuchMediator/>
</sequence>
"""


class RedeployBySighupTest(unittest.TestCase):
    def setUp(self):
        self.proxy = Proxy(self)
        self.out_seq = os.path.join(self.proxy.project, "src", "main", "synapse-config",
                                    "sequences", "outDispatchSeq.xml")

    def write_out_seq(self, xml):
        with open(self.out_seq, "w") as f:
            f.write(xml)

    def sighup_and_wait(self, text, count):
        """Sends SIGHUP and waits for the `count`-th stderr line containing `text`."""
        self.proxy.sluice.process.send_signal(signal.SIGHUP)
        return self.proxy.sluice.wait_stderr_lines(text, count)

    def test_client_stays_connected_and_the_next_message_runs_the_new_sequence(self):
        async def scenario():
            async with self.proxy.connect("/chat") as ws:
                await ws.send("one")
                first = await ws.recv()
                self.write_out_seq(OUT_REPLYING.format(ns=NS, text="changed by redeploy"))
                await asyncio.to_thread(self.sighup_and_wait, "redeployed", 1)
                await ws.send("two")
                second = await ws.recv()
                # Still the same connection, never closed...
                self.assertIsNone(ws.close_code)
                # ...and so is the backend's: both messages came on the one connection opened
                # before the redeploy.
                backend = self.proxy.backend
                messages = await asyncio.to_thread(backend.wait_events, "message", 2)
                self.assertEqual(len({m["id"] for m in messages}), 1)
                self.assertEqual(len(backend.events("open")), 1)
                self.assertEqual(backend.events("close"), [])
                return first, second
        first, second = run_async(scenario())
        self.assertEqual(first, "one")
        self.assertEqual(second, "changed by redeploy")

    def test_a_changed_backend_uri_takes_the_next_message_to_the_new_backend(self):
        # The dispatch sequence runs as a forward plan, which remembers its backend connection:
        # a redeploy's plan must not use the one the old plan remembered.
        second = self.proxy.work.backend(name="second-backend")
        dispatch = os.path.join(os.path.dirname(self.out_seq), "dispatchSeq.xml")

        async def scenario():
            async with self.proxy.connect("/") as ws:
                replies = []
                for text in ("one", "two"):
                    await ws.send(text)
                    replies.append(await ws.recv())
                with open(dispatch, "w") as f:
                    f.write(DISPATCH_SEQ.format(ns=NS, backend=second.url, extra=""))
                await asyncio.to_thread(self.sighup_and_wait, "redeployed", 1)
                for text in ("three", "four"):
                    await ws.send(text)
                    replies.append(await ws.recv())
                return replies
        self.assertEqual(run_async(scenario()), ["one", "two", "three", "four"])
        first_texts = [m.get("data") for m in self.proxy.backend.events("message")]
        second_texts = [m.get("data") for m in second.wait_events("message", 2)]
        self.assertEqual(first_texts, ["one", "two"])
        self.assertEqual(second_texts, ["three", "four"])

    def test_broken_sequence_is_refused_with_its_location_and_the_old_flow_serves(self):
        async def scenario():
            async with self.proxy.connect("/") as ws:
                await ws.send("before")
                before = await ws.recv()
                self.write_out_seq(OUT_BROKEN.format(ns=NS))
                lines = await asyncio.to_thread(self.sighup_and_wait, "noSuchMediator", 1)
                await ws.send("after")
                after = await ws.recv()
                self.assertIsNone(ws.close_code)
                return before, after, lines
        before, after, lines = run_async(scenario())
        self.assertEqual((before, after), ("before", "after"))
        self.assertRegex(lines[0], r"sequences/outDispatchSeq\.xml:4:\d+: ")
        self.assertRegex(self.proxy.sluice.stderr_text(), r"redeploy refused: \d+ error")
        self.assertNotIn("redeployed", self.proxy.sluice.stderr_text())


if __name__ == "__main__":
    unittest.main()
