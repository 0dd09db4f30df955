# SPDX-License-Identifier: Apache-2.0
"""Node.js with the npm `ws` package as the client (tests/e2e/node/ws_client.js): echo of text
and binary through the proxy, and broadcast delivery alongside python3-websockets clients."""
import base64
import hashlib
import os
import shutil
import subprocess
import unittest

from peers.harness import NODE_DIR, Proxy, node_available, run_async


def setUpModule():
    # A fresh clone has no node_modules; the lock file pins what `npm ci` installs.
    if shutil.which("npm") and not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "ws")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", NODE_DIR],
                       check=False, capture_output=True, timeout=180)


class NodeClientTest(unittest.TestCase):
    def setUp(self):
        reason = node_available()
        if reason:
            self.skipTest(reason)

    def test_echo_of_text_and_binary(self):
        proxy = Proxy(self)
        node = proxy.work.node(proxy.url + "/node")
        text = "node says h\u00e9llo \u20ac\U0001f600"
        data = bytes(range(256)) * 257
        node.send_text(text)
        node.send_binary(data)
        node.send_binary(b"")
        echoes = node.wait_messages(3)
        self.assertEqual((echoes[0]["kind"], echoes[0]["data"]), ("text", text))
        self.assertEqual((echoes[1]["kind"], base64.b64decode(echoes[1]["data"])),
                         ("binary", data))
        self.assertEqual((echoes[2]["kind"], echoes[2]["size"]), ("binary", 0))
        records = proxy.backend.wait_events("message", 3)
        self.assertEqual(records[0]["sha256"], hashlib.sha256(text.encode()).hexdigest())
        self.assertEqual(records[1]["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual((records[2]["kind"], records[2]["size"]), ("binary", 0))
        node.command(close=4003, reason="node is done")
        closed = node.events.wait_for(lambda e: e.get("event") == "close", 10, "node close")
        self.assertEqual(closed["code"], 4003)
        backend_close = proxy.backend.wait_event("close")
        self.assertEqual((backend_close["code"], backend_close["reason"]),
                         (4003, "node is done"))

    def test_broadcast_reaches_node_and_python_clients_on_the_path(self):
        proxy = Proxy(self, level=1)
        node = proxy.work.node(proxy.url + "/room")

        async def scenario():
            async with proxy.connect("/room") as python_peer, \
                    proxy.connect("/elsewhere") as outsider:
                await python_peer.send("python to the room")
                self.assertEqual(await python_peer.recv(), "python to the room")
                got = await run_in_thread(node.wait_messages, 1)
                self.assertEqual(got[0]["data"], "python to the room")

                node.send_text("node to the room")
                node.send_binary(b"\x01\x02\x03")
                self.assertEqual(await python_peer.recv(), "node to the room")
                self.assertEqual(await python_peer.recv(), b"\x01\x02\x03")
                got = await run_in_thread(node.wait_messages, 3)
                self.assertEqual([m["kind"] for m in got], ["text", "text", "binary"])

                # The outsider's first message is its own echo: the room's never reached it.
                await outsider.send("outsider")
                self.assertEqual(await outsider.recv(), "outsider")
        run_async(scenario())


async def run_in_thread(function, *args):
    import asyncio
    return await asyncio.to_thread(function, *args)


if __name__ == "__main__":
    unittest.main()
