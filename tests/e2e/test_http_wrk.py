# SPDX-License-Identifier: Apache-2.0
"""wrk (Debian's) as the HTTP client of the seed's HTTP-to-WebSocket proxy
(projects/http-to-websocket, copied with ports picked now, as test_http_proxy.py runs it), with
the python3-websockets backend (peers/ws_backend.py) recording every frame. The wrk script
(peers/wrk_unique_posts.lua) gives every request a unique body {"r":run,"t":thread,"n":counter}
and prints wrk's own counts as JSON, so the frames can be matched with what wrk sent and read.

wrk keeps one request in flight per connection and spreads a thread's counter over all of that
thread's connections, so with -t2 -c20 a thread's counter has no order to keep (two of its
connections race). Sluice's promise is order per HTTP connection: the second run gives every
wrk thread a single connection (-t4 -c4), where the thread's counter is the connection's order.
"""
import json
import os
import subprocess
import time
import unittest
from collections import defaultdict

from peers.harness import PEERS_DIR
from test_http_proxy import SeedExample

WRK_SCRIPT = os.path.join(PEERS_DIR, "wrk_unique_posts.lua")


class WrkTest(unittest.TestCase):
    def run_wrk(self, url, run, threads, connections, seconds):
        result = subprocess.run(
            ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--timeout", "5s",
             "-s", WRK_SCRIPT, url, "--", str(run)],
            capture_output=True, text=True, timeout=seconds + 30)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [l for l in result.stdout.splitlines() if l.startswith("WRK_JSON ")]
        self.assertEqual(len(lines), 1, result.stdout)
        report = json.loads(lines[0][len("WRK_JSON "):])
        report["text"] = result.stdout
        return report

    def frames_of_run(self, backend, run):
        """(backend connection, body) of every frame of run `run`, in arrival order."""
        frames = []
        for record in backend.events("message"):
            self.assertEqual(record["kind"], "text")
            body = json.loads(record["data"])
            if body["r"] == run:
                frames.append((record["id"], body))
        return frames

    def check_delivery(self, backend, report, run, connections):
        """No errors, every answer a 202, and every request wrk completed reached the backend
        once; returns the run's frames."""
        errors = report["errors"]
        self.assertEqual(errors, {"connect": 0, "read": 0, "write": 0, "status": 0,
                                  "timeout": 0}, report["text"])
        threads = {t["t"]: t for t in report["threads"]}
        # wrk calls request() once on its first thread's script before the run, to check it
        # (script_verify_request in wrk.c): that body is generated but never sent.
        threads[0]["first"] = 1
        threads[0]["sent"] -= 1
        answered = sum(t["answers"] for t in threads.values())
        sent = sum(t["sent"] for t in threads.values())
        self.assertEqual(answered, report["requests"])
        self.assertGreater(answered, 0)
        self.assertEqual([t["not_202"] for t in threads.values()], [0] * len(threads))
        # Requests wrk generated but whose answers it did not wait for when it stopped (at most
        # one per connection) may or may not have reached Sluice.
        self.assertLessEqual(sent - answered, connections)
        # Every completed request reaches the backend: wait for as many frames, then a moment
        # more for any cut-off request still on its way.
        def run_frames():
            found = self.frames_of_run(backend, run)
            return found if len(found) >= answered else None
        deadline = time.monotonic() + 20
        while run_frames() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        frames = self.frames_of_run(backend, run)
        keys = [(body["t"], body["n"]) for _, body in frames]
        self.assertEqual(len(keys), len(set(keys)), "duplicate frames")
        self.assertGreaterEqual(len(frames), answered)
        self.assertLessEqual(len(frames), sent)
        for thread, counter in keys:
            self.assertIn(thread, threads)
            first = threads[thread].get("first", 0)
            self.assertTrue(first <= counter < first + threads[thread]["sent"], counter)
        print("\nrun %d: wrk completed %d requests (%d generated), backend got %d frames over "
              "%d connection(s)" % (run, answered, sent, len(frames),
                                    len({c for c, _ in frames})))
        return frames

    def test_wrk_posts_all_get_202_and_reach_the_backend_once_in_order(self):
        seed = SeedExample(self)
        frames = self.check_delivery(seed.backend, self.run_wrk(seed.url, 1, 2, 20, 2), 1, 20)
        self.assertGreater(len(frames), 0)

        report = self.run_wrk(seed.url, 2, 4, 4, 1)
        frames = self.check_delivery(seed.backend, report, 2, 4)
        # One HTTP connection per wrk thread: its frames use one backend connection (the one of
        # the Sluice worker that owns the HTTP connection) and keep the counter's order.
        by_thread = defaultdict(list)
        backend_connections = defaultdict(set)
        for connection, body in frames:
            by_thread[body["t"]].append(body["n"])
            backend_connections[body["t"]].add(connection)
        for thread, counters in by_thread.items():
            self.assertEqual(counters, sorted(counters), "thread %d out of order" % thread)
            self.assertEqual(len(backend_connections[thread]), 1)
            # Nothing missing before the last counter that arrived (a cut-off request is last).
            first = 1 if thread == 0 else 0  # see check_delivery
            self.assertEqual(counters, list(range(first, first + len(counters))))


if __name__ == "__main__":
    unittest.main()
