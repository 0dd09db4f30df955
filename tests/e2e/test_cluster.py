# SPDX-License-Identifier: Apache-2.0
"""A Sluice cluster of real processes: redis-server started here, three `sluice run` nodes with
[cluster] on ports of their own, nginx in front with packaging/nginx/sluice-cluster.conf, and
python3-websockets clients spread over them, some through nginx and some direct.

- Broadcasts (level 1, and level 2 without the sender) reach every client of the endpoint and
  path on every node exactly once; other paths get nothing.
- GET /management/cluster on each node lists the three nodes and their connections.
- A node killed with SIGKILL: the others go on, and drop it from the list when its presence
  expires; nginx sends new connections elsewhere.
- Redis stopped: every node serves its own clients and logs "cluster degraded" once; Redis
  restarted on the same port: the nodes rejoin by themselves and broadcasts cross again.
- Redis with TLS (client certificates) and a password from the environment: broadcasts cross,
  the password appears in no log and no API answer; a wrong password is refused with Redis'
  reason, also without the password.

"Exactly once" is shown without waiting for silence where possible: after the real messages
every node sends a marker, and a node's own duplicate of a message would come through Redis
before the markers of the other nodes (one subscription, delivered in publish order)."""
import asyncio
import os
import signal
import unittest

import websockets

from peers.cluster_peers import Nginx, Node, Redis
from peers.harness import Workdir, wait_until
from peers.test_pki import TestPki

HEARTBEAT_MS = 500


async def connect(url):
    return await websockets.connect(url, open_timeout=10, close_timeout=2)


async def receive_until(ws, wanted, timeout=10):
    """Messages of `ws` until every one of `wanted` has come; all of them, in order."""
    got = []
    async with asyncio.timeout(timeout):
        while not set(wanted) <= set(got):
            got.append(await ws.recv())
    return got


async def drain(ws, seconds=0.5):
    """What `ws` receives until `seconds` pass without a message."""
    got = []
    while True:
        try:
            got.append(await asyncio.wait_for(ws.recv(), seconds))
        except asyncio.TimeoutError:
            return got


async def nothing_more(test, ws, seconds=0.3):
    try:
        extra = await asyncio.wait_for(ws.recv(), seconds)
    except asyncio.TimeoutError:
        return
    test.fail("an extra message arrived: %r" % extra)


class ClusterTest(unittest.TestCase):

    def setUp(self):
        self.work = Workdir(self)

    def wait_cluster(self, nodes, names, timeout=10):
        """Every node's /management/cluster is connected and lists exactly `names`."""
        def all_see():
            views = [n.cluster() for n in nodes]
            ok = all(v["connected"] and sorted(x["name"] for x in v["nodes"]) == sorted(names)
                     for v in views)
            return views if ok else None
        return wait_until(all_see, timeout, "every node to list %s" % names, interval=0.1)

    async def broadcast_round(self, clients, senders, level2=None):
        """Each sender (a client) sends one message; every client must get each exactly once
        (with level 2, not its own), then the markers. `clients`: name -> websocket."""
        messages = {}
        for name in senders:
            text = "from %s %s" % (name, os.urandom(4).hex())
            messages[name] = text
            await clients[name].send(text)
        expected = {c: [m for s, m in messages.items() if not (level2 and s == c)]
                    for c in clients}
        got = await asyncio.gather(*(receive_until(clients[c], expected[c]) for c in clients))
        for name, received in zip(clients, got):
            self.assertEqual(sorted(received), sorted(expected[name]),
                             "client %s got duplicates or strangers" % name)
        return messages

    async def markers(self, clients, senders, level2=False):
        """Every sender sends a marker after the round; what comes before the markers must be
        only markers (no late duplicate of the round)."""
        sent = []
        for name in senders:
            text = "marker %s" % name
            sent.append(text)
            await clients[name].send(text)
        for name, ws in clients.items():
            wanted = [m for s, m in zip(senders, sent) if not (level2 and s == name)]
            received = await receive_until(ws, wanted)
            self.assertEqual(sorted(received), sorted(wanted),
                             "client %s got something besides the markers" % name)

    def test_three_nodes_behind_nginx(self):
        redis = Redis(self.work)
        names = ["a", "b", "c"]
        nodes = {n: Node(self.work, n, redis.port, heartbeat_ms=HEARTBEAT_MS) for n in names}
        nginx = Nginx(self.work, [nodes[n].port for n in names])
        views = self.wait_cluster(nodes.values(), names)
        self.assertEqual(views[0]["redis"], "127.0.0.1:%d" % redis.port)
        self.assertTrue(views[0]["nodes"][0]["self"])

        async def scenario():
            # Two clients direct on each node, three through nginx (least_conn spreads them),
            # a stranger on another path, and one level-2 client per node.
            clients = {}
            for n in names:
                for i in (1, 2):
                    clients["%s%d" % (n, i)] = await connect(nodes[n].url())
            for i in (1, 2, 3):
                clients["lb%d" % i] = await connect(nginx.url())
            stranger = await connect(nodes["b"].url("/ws/elsewhere"))
            level2 = {n: await connect(nodes[n].url("/ws/room", level2=True)) for n in names}

            # Every node knows the connections of the others (presence counts).
            def counts_seen():
                view = nodes["a"].cluster()
                total = sum(x["connections"] for x in view["nodes"])
                return total == len(clients) + 1 + len(level2)
            await asyncio.to_thread(wait_until, counts_seen, 10, "the connection counts")

            await self.broadcast_round(clients, ["a1", "b2", "c1", "lb1"])
            await self.markers(clients, ["a1", "b1", "c1"])
            await self.broadcast_round(level2, names, level2=True)
            await self.markers(level2, names, level2=True)
            # The other path heard nothing: its first message is its own.
            await stranger.send("stranger")
            self.assertEqual(await stranger.recv(), "stranger")

            # Node b dies: a and c go on; new connections through nginx go to them.
            nodes["b"].child.process.send_signal(signal.SIGKILL)
            nodes["b"].child.process.wait(5)
            for ws in list(clients):
                if ws.startswith("b"):
                    del clients[ws]
            survivors = {}
            for name, ws in clients.items():
                if name.startswith("lb"):
                    try:
                        pong = await ws.ping()
                        await asyncio.wait_for(pong, 1)
                    except (websockets.ConnectionClosed, asyncio.TimeoutError):
                        continue  # it was on b
                survivors[name] = ws
            survivors["lb-new"] = await connect(nginx.url())
            await self.broadcast_round(survivors, ["a2", "c2", "lb-new"])
            await self.markers(survivors, ["a1", "c1"])
            await asyncio.to_thread(self.wait_cluster, [nodes["a"], nodes["c"]], ["a", "c"])

            # Redis goes: local broadcasts go on, nothing crosses, "degraded" is logged once.
            redis.stop()
            for n in ("a", "c"):
                await asyncio.to_thread(
                    wait_until, lambda: nodes[n].log_lines("cluster degraded"), 10,
                    "node %s's degraded line" % n)
            local = {k: v for k, v in survivors.items() if k in ("a1", "a2")}
            sent = await self.broadcast_round(local, ["a1", "a2"])
            for name in ("c1", "c2"):
                await nothing_more(self, survivors[name])
            # Clients through nginx got all of it (on a) or nothing (on c).
            for name in [k for k in survivors if k.startswith("lb")]:
                got = await drain(survivors[name])
                self.assertIn(sorted(got), ([], sorted(sent.values())), name)
            view = nodes["a"].cluster()
            self.assertFalse(view["connected"])
            self.assertEqual(view["state"], "degraded")
            self.assertEqual([x["name"] for x in view["nodes"]], ["a"])
            await asyncio.sleep(1.0)  # several reconnect attempts meanwhile
            for n in ("a", "c"):
                self.assertEqual(len(nodes[n].log_lines("cluster degraded")), 1,
                                 "node %s logged degraded more than once" % n)

            # Redis is back on the same port: the nodes rejoin by themselves.
            self.restarted = Redis(self.work, port=redis.port, name="redis-again")
            for n in ("a", "c"):
                await asyncio.to_thread(
                    wait_until, lambda: nodes[n].log_lines("cluster rejoined"), 10,
                    "node %s's rejoined line" % n)
            await asyncio.to_thread(self.wait_cluster, [nodes["a"], nodes["c"]], ["a", "c"])
            await self.broadcast_round(survivors, ["c1", "a2"])
            await self.markers(survivors, ["a1", "c1"])
            for n in ("a", "c"):
                self.assertEqual(len(nodes[n].log_lines("cluster rejoined")), 1)

            for ws in list(survivors.values()) + list(level2.values()) + [stranger]:
                await ws.close()

        asyncio.run(scenario())
        for n in ("a", "c"):
            self.assertIsNone(nodes[n].child.process.poll(), "node %s died" % n)

    def test_tls_and_password(self):
        pki = TestPki(os.path.join(self.work.path, "pki"))
        server = pki.issue("redis", sans=["DNS:localhost", "IP:127.0.0.1"])
        client = pki.issue("node", client=True)

        class Tls:
            cert, key, ca = server.cert, server.key, pki.ca_pem
        password = "s3cret-" + os.urandom(6).hex()
        redis = Redis(self.work, tls=Tls, password=password)
        toml = ('password_env = "TEST_REDIS_PASSWORD"\ntls = true\ntls_ca_file = "%s"\n'
                'tls_cert_file = "%s"\ntls_key_file = "%s"\n' % (pki.ca_pem, client.cert,
                                                                 client.key))
        env = {"TEST_REDIS_PASSWORD": password}
        nodes = [Node(self.work, n, redis.port, extra_toml=toml, env=env,
                      heartbeat_ms=HEARTBEAT_MS) for n in ("x", "y")]
        wrong = Node(self.work, "z", redis.port, extra_toml=toml,
                     env={"TEST_REDIS_PASSWORD": "not-" + password}, heartbeat_ms=HEARTBEAT_MS)
        views = self.wait_cluster(nodes, ["x", "y"])
        self.assertTrue(views[0]["tls"])
        line = wait_until(lambda: wrong.log_lines("cluster degraded"), 10, "z's refusal")[0]
        self.assertIn("refused the login", line)
        self.assertIn("WRONGPASS", line)

        async def scenario():
            clients = {"x": await connect(nodes[0].url()), "y": await connect(nodes[1].url())}
            await self.broadcast_round(clients, ["x", "y"])
            await self.markers(clients, ["x", "y"])
            for ws in clients.values():
                await ws.close()
        asyncio.run(scenario())
        for node in nodes + [wrong]:
            self.assertNotIn(password, node.child.stderr_text())
            self.assertNotIn(password, str(node.cluster()))
        self.assertEqual(wrong.cluster()["state"], "degraded")


if __name__ == "__main__":
    unittest.main()
