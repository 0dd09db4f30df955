# SPDX-License-Identifier: Apache-2.0
"""The seed's flows (properties + send in, log + respond out, respond in the echo backend) run as
forward plans (engine/mediation/forward_plan.h), or through the executor with
SLUICE_FORWARD_PLANS=off. From outside the two must be the same: a python3-websockets client's
conversation gets the same replies, and, with message events recorded, leaves the same recorded
events (every field but ids, times and ports), mediators entered, properties set and log lines
included."""
import asyncio
import os
import re
import unittest

import websockets

from peers.harness import Workdir, run_async
from peers.management_fixture import SEQUENCES, ManagedRuntime

MESSAGES = ["first: goes through the executor (it opens the backend connection)",
            "second", b"\x00\x01binary\xff", "unicode \u00e9\u4e2d\U0001f600", "x" * 3000]

# Differ from run to run, not between the two ways of running a flow.
VOLATILE = {"id", "time", "timestamp", "messageId", "connectionId", "ageMs", "openedMs",
            "Sec-WebSocket-Key"}
PORT = re.compile(r"127\.0\.0\.1:\d+|localhost:\d+")


def normalised(value):
    if isinstance(value, dict):
        return {key: normalised(v) for key, v in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, str):
        return PORT.sub("HOST:PORT", value)
    return value


def debug_log_line(project):
    """The outflow sequence's log line at DEBUG, which the runtime's log (info) hides: that flow
    is planned too (a line the log shows is written by the executor)."""
    path = os.path.join(project, SEQUENCES, "outDispatchSeq.xml")
    with open(path) as f:
        text = f.read()
    assert '<log level="full"/>' in text, path
    with open(path, "w") as f:
        f.write(text.replace('<log level="full"/>', '<log level="full" category="DEBUG"/>'))


def small_capture(project):
    """Payloads captured up to 100 bytes: the 3,000-byte message's log line (level full prints
    the payload) cannot be built from its frame's capture, so that hop is not noted as one
    record (MessageEventHub::recordPlannedHop) but mediated through a message object."""
    debug_log_line(project)
    path = os.path.join(project, "deployment.toml")
    with open(path) as f:
        text = f.read()
    assert "[events]\n" in text, path  # the fixture's: events recorded
    with open(path, "w") as f:
        f.write(text.replace("[events]\n", "[events]\ncapture_payload_bytes = 100\n"))


class ForwardPlansTest(unittest.TestCase):
    def conversation(self, prepare=debug_log_line, **env):
        """Replies and recorded events of one client's conversation with a runtime."""
        runtime = ManagedRuntime(Workdir(self), prepare, **env)

        async def scenario():
            replies = []
            async with websockets.connect(runtime.ws_url, max_size=None) as client:
                for message in MESSAGES:
                    await client.send(message)
                    replies.append(await asyncio.wait_for(client.recv(), 10))
                return replies, runtime.connection_id_of(client)
        replies, client_id = run_async(scenario())
        status, events, _ = runtime.curl("GET", "/management/events?connection=" + client_id)
        self.assertEqual(status, 200)
        return replies, events

    def test_planned_flows_leave_the_same_replies_and_events_as_the_executor(self):
        self.compare(debug_log_line)

    def test_a_log_line_longer_than_the_capture_leaves_the_same_events(self):
        executed = self.compare(small_capture)
        lines = [event["text"] for event in executed if event["kind"] == "log"]
        self.assertTrue(any("x" * 3000 in line for line in lines), lines)

    def compare(self, prepare):
        planned_replies, planned = self.conversation(prepare)
        executed_replies, executed = self.conversation(prepare, SLUICE_FORWARD_PLANS="off")
        self.assertEqual(planned_replies, MESSAGES)
        self.assertEqual(executed_replies, MESSAGES)
        kinds = [event["kind"] for event in executed]
        # The events are worth comparing: each message's frames, mediators, properties, log.
        for kind in ("frame-in", "frame-out", "mediator", "properties-set", "log"):
            self.assertGreaterEqual(kinds.count(kind), len(MESSAGES), (kind, kinds))
        self.assertEqual(len(planned), len(executed))
        for index, (got, expected) in enumerate(zip(planned, executed)):
            self.assertEqual(normalised(got), normalised(expected), "event %d" % index)
        return executed


if __name__ == "__main__":
    unittest.main()
