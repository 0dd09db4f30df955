# SPDX-License-Identifier: Apache-2.0
"""RFC 6455 conformance of an inbound endpoint, case by case (peers/ws_conformance.py: the
Autobahn case groups 1-7 and a short 9) against Sluice echoing every message with `respond`.

The verdicts come from what Sluice does; docs/conformance.md holds the tables of this run, and
this test fails when they differ (behaviour changed: look at the new table it prints and update
the document). Cases that must pass whatever Qt does are asserted on their own. The results go to
$SLUICE_CONFORMANCE_RESULTS (JSON) when it is set."""
import json
import os
import re
import unittest

from peers import ws_conformance
from peers.harness import FAULT_SEQ, NS, Workdir, free_port, inbound_xml, write_project

MAX_MESSAGE_SIZE = 1024 * 1024
DOC = os.path.join(os.environ.get("SLUICE_SOURCE_DIR", os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "..")), "docs", "conformance.md")
ECHO_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="echoSeq" {ns}>
    <respond/>
</sequence>
""".format(ns=NS)


def echo_endpoint(test):
    work = Workdir(test)
    for attempt in range(3):
        port = free_port()
        project = write_project(work.path, {"echoSeq": ECHO_SEQ, "fault": FAULT_SEQ.format(ns=NS)},
                                {"conformance": inbound_xml("conformance", port, "echoSeq", {
                                    "ws.max.message.size": str(MAX_MESSAGE_SIZE)})})
        try:
            return work, work.sluice(project), port
        except AssertionError as error:
            if attempt == 2 or "cannot listen" not in str(error):
                raise


def doc_section(text, name):
    """The lines between <!-- conformance:NAME --> and <!-- /conformance:NAME -->."""
    match = re.search(r"<!-- conformance:%s -->\n(.*?)\n<!-- /conformance:%s -->" % (name, name),
                      text, re.S)
    return match.group(1).strip() if match else None


class ConformanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One endpoint for every case; each case has a connection of its own.
        cls.holder = unittest.TestCase()
        cls.work, cls.sluice, cls.port = echo_endpoint(cls.holder)
        cls.results = []
        for case in ws_conformance.cases(MAX_MESSAGE_SIZE):
            verdict, detail = ws_conformance.run_case(cls.port, case)
            cls.results.append({"id": case[0], "description": case[1], "verdict": verdict,
                                "detail": detail})
        out = os.environ.get("SLUICE_CONFORMANCE_RESULTS")
        if out:
            with open(out, "w") as f:
                json.dump(cls.results, f, indent=1)

    @classmethod
    def tearDownClass(cls):
        cls.holder.doCleanups()

    def verdicts(self, prefix):
        return {r["id"]: (r["verdict"], r["detail"]) for r in self.results
                if r["id"] == prefix or r["id"].startswith(prefix + ".")}

    def test_sluice_survived_every_case(self):
        self.assertTrue(self.sluice.alive(), self.sluice.stderr_text()[-3000:])
        # and still echoes
        self.assertEqual(ws_conformance.run_case(self.port, ws_conformance.cases(1024)[0])[0],
                         "PASS")

    def test_framing_ping_pong_and_valid_close_codes_pass(self):
        for prefix in ("1", "2", "7.7", "9.1", "9.2", "9.3", "9.5"):
            for case_id, (verdict, detail) in self.verdicts(prefix).items():
                self.assertEqual(verdict, "PASS", "%s: %s" % (case_id, detail))

    def test_protocol_errors_fail_the_connection(self):
        # Reserved bits and opcodes, broken fragmentation, bad close frames: never accepted.
        for prefix in ("3", "4", "5.1", "5.2", "5.7", "5.8", "5.9", "7.3.2", "7.3.6", "7.9"):
            for case_id, (verdict, detail) in self.verdicts(prefix).items():
                self.assertNotEqual(verdict, "FAIL", "%s: %s" % (case_id, detail))

    def test_over_the_size_limit_closes_with_1009(self):
        for case_id, (verdict, detail) in self.verdicts("9.4").items():
            self.assertEqual(verdict, "PASS", "%s: %s" % (case_id, detail))

    def test_client_agrees_with_a_reference_server(self):
        # The same cases against python3-websockets' echo server (peers/ws_backend.py), a
        # WebSocket implementation this project did not write: valid input must pass there, so a
        # case that Sluice fails is Sluice's failure, not the client's.
        work = Workdir(self)
        backend = work.backend()
        for case in ws_conformance.cases(MAX_MESSAGE_SIZE):
            if case[0].split(".")[0] in ("1", "2", "5", "6", "7"):
                verdict, detail = ws_conformance.run_case(backend.port, case)
                self.assertEqual(verdict, "PASS", "python3-websockets, %s: %s" % (case[0], detail))

    def test_docs_tables_match_this_run(self):
        with open(DOC, encoding="utf-8") as f:
            text = f.read()
        for name, table in (("groups", ws_conformance.group_table(self.results)),
                            ("exceptions", ws_conformance.exceptions_table(self.results))):
            self.assertEqual(doc_section(text, name), table,
                             "docs/conformance.md's %s table differs from this run; "
                             "this run's:\n%s" % (name, table))


if __name__ == "__main__":
    unittest.main()
