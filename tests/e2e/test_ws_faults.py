# SPDX-License-Identifier: Apache-2.0
"""Backend failures as the client and the outflow fault sequence see them: a backend that is not
there, one that drops the TCP connection mid-stream, one that closes with its own code, one killed
and started again."""
import asyncio
import unittest

import websockets

from peers.harness import Proxy, closed_with, free_port, run_async


class BackendFaultTest(unittest.TestCase):
    def test_backend_down_closes_the_client_with_1014_and_runs_the_fault_sequence(self):
        dead_port = free_port()  # nobody listens here
        proxy = Proxy(self, backend_url="ws://127.0.0.1:%d/websocket" % dead_port)

        async def scenario():
            async with proxy.connect("/down") as ws:
                await ws.send("anyone there?")
                return await closed_with(ws)
        code, reason = run_async(scenario())
        self.assertEqual(code, 1014)
        self.assertEqual(reason, "Backend unavailable")
        # Clients never learn internal addresses.
        self.assertNotIn("127.0.0.1", reason)
        self.assertNotIn(str(dead_port), reason)
        fault = proxy.sluice.wait_stderr(r"FAULT = ([^\n]*)")
        self.assertIn(str(dead_port), fault.group(1))  # ... but the operator does

    def test_backend_dropping_mid_stream_closes_the_client_with_1014(self):
        proxy = Proxy(self, backend_args=("--mode", "drop-after", "--arg", "2"))

        async def scenario():
            async with proxy.connect("/drop") as ws:
                await ws.send("first")
                self.assertEqual(await ws.recv(), "first")
                await ws.send("second, answered by a dropped TCP connection")
                return await closed_with(ws)
        code, reason = run_async(scenario())
        self.assertEqual((code, reason), (1014, "Backend unavailable"))
        self.assertEqual(proxy.backend.wait_event("close")["code"], 1006)
        proxy.sluice.wait_stderr(r"FAULT = [^\n]*dropped the connection")

    def test_backend_close_code_and_reason_reach_the_client(self):
        proxy = Proxy(self, backend_args=("--mode", "close-code", "--arg", "4000"))

        async def scenario():
            async with proxy.connect("/closing") as ws:
                await ws.send("please close")
                return await closed_with(ws)
        self.assertEqual(run_async(scenario()), (4000, "backend says bye"))
        self.assertEqual(proxy.backend.wait_event("close")["code"], 4000)
        # A proper close is no fault.
        self.assertNotIn("FAULT = ", proxy.sluice.stderr_text())

    def test_backend_normal_close_without_reason_is_no_fault(self):
        proxy = Proxy(self, backend_args=("--mode", "close-code", "--arg", "1000",
                                          "--reason", ""))

        async def scenario():
            async with proxy.connect("/normal") as ws:
                await ws.send("please close normally")
                return await closed_with(ws)
        self.assertEqual(run_async(scenario()), (1000, ""))
        self.assertNotIn("FAULT = ", proxy.sluice.stderr_text())

    def test_backend_killed_then_restarted_serves_new_clients_again(self):
        proxy = Proxy(self)
        port = proxy.backend.port

        async def echo_or_close(path, text):
            async with proxy.connect(path) as ws:
                await ws.send(text)
                try:
                    return await asyncio.wait_for(ws.recv(), 10)
                except websockets.ConnectionClosed:
                    return ws.close_code, ws.close_reason

        async def before_and_during():
            async with proxy.connect("/a") as connected:
                await connected.send("before")
                self.assertEqual(await connected.recv(), "before")
                proxy.backend.kill()
                # The client that was using it is told, with the fault sequence run.
                self.assertEqual(await closed_with(connected), (1014, "Backend unavailable"))
            # While it is down, new clients are told the same.
            return await echo_or_close("/b", "while down")
        self.assertEqual(run_async(before_and_during()), (1014, "Backend unavailable"))
        # Back on the same address: new clients get through, nothing to restart in Sluice.
        proxy.work.backend("--port", str(port))
        self.assertEqual(run_async(echo_or_close("/c", "after")), "after")


if __name__ == "__main__":
    unittest.main()
