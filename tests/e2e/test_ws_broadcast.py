# SPDX-License-Identifier: Apache-2.0
"""ws.client.side.broadcast.level 1 and 2 with python3-websockets clients on two paths, through
an echoing backend: who gets a reply, and who must not.

"Must not" is shown without waiting for silence: the clients of one endpoint share its worker
threads' event queues, so a reply that was wrongly delivered to a client would reach it before
any reply caused later; each client's next message is therefore checked to be the expected
later one."""
import asyncio
import unittest

from peers.harness import Proxy, run_async


async def connect_all(proxy, paths):
    return {name: await proxy.connect(path) for name, path in paths.items()}


async def close_all(clients):
    await asyncio.gather(*(ws.close() for ws in clients.values()))


async def next_messages(clients, names):
    return [await clients[name].recv() for name in names]


class BroadcastTest(unittest.TestCase):
    PATHS = {"a1": "/room-a", "a2": "/room-a", "a3": "/room-a", "b1": "/room-b",
             "b2": "/room-b"}

    def test_level_1_reaches_every_client_on_the_path_and_no_other(self):
        proxy = Proxy(self, level=1)

        async def scenario():
            c = await connect_all(proxy, self.PATHS)
            try:
                await c["a1"].send("to room a")
                self.assertEqual(await next_messages(c, ["a1", "a2", "a3"]), ["to room a"] * 3)
                await c["b2"].send(b"\x00binary to room b")
                self.assertEqual(await next_messages(c, ["b1", "b2"]),
                                 [b"\x00binary to room b"] * 2)
                await c["a3"].send("again to room a")
                self.assertEqual(await next_messages(c, ["a1", "a2", "a3"]),
                                 ["again to room a"] * 3)
            finally:
                await close_all(c)
        run_async(scenario())
        # Each client's message went once to the backend, on the client's own connection.
        self.assertEqual(len(proxy.backend.wait_events("message", 3)), 3)

    def test_level_2_reaches_every_client_on_the_path_but_the_sender(self):
        proxy = Proxy(self, level=2)

        async def scenario():
            c = await connect_all(proxy, self.PATHS)
            try:
                await c["a1"].send("from a1")
                self.assertEqual(await next_messages(c, ["a2", "a3"]), ["from a1"] * 2)
                await c["a2"].send("from a2")
                # a1's first message is a2's: it never got its own.
                self.assertEqual(await next_messages(c, ["a1", "a3"]), ["from a2"] * 2)
                await c["a3"].send("from a3")
                self.assertEqual(await next_messages(c, ["a1", "a2"]), ["from a3"] * 2)
                # Room b heard nothing of room a: its first message is its own traffic.
                await c["b1"].send("from b1")
                self.assertEqual(await c["b2"].recv(), "from b1")
                await c["b2"].send("from b2")
                self.assertEqual(await c["b1"].recv(), "from b2")
            finally:
                await close_all(c)
        run_async(scenario())


if __name__ == "__main__":
    unittest.main()
