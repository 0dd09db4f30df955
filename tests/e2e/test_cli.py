# SPDX-License-Identifier: Apache-2.0
"""The sluice command line: version, help, validate and run on good and broken projects."""
import os
import re
import shutil
import tempfile
import unittest

from sluice_process import SOURCE_DIR, TESTS_DIR, free_port, port_is_listening, run_sluice

BROKEN = "data/cli/broken-project"
SEQ = BROKEN + "/src/main/synapse-config/sequences/"
INB = BROKEN + "/src/main/synapse-config/inbound-endpoints/"
# Samples that validate only once scripts/make-test-certs has made their keys (never committed);
# test_secure_sample.py validates them after running it.
NEEDS_GENERATED_CERTIFICATES = {"secure-websocket"}


class CommandLineTest(unittest.TestCase):
    def test_version(self):
        result = run_sluice("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^sluice \d+\.\d+\.\d+\n$")

    def test_help_lists_commands(self):
        result = run_sluice("--help")
        self.assertEqual(result.returncode, 0)
        for command in ("run PROJECT", "validate PROJECT", "--log-level"):
            self.assertIn(command, result.stdout)

    def test_unknown_command_is_a_usage_error(self):
        result = run_sluice("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", result.stderr)

    def test_bad_log_level_is_a_usage_error(self):
        result = run_sluice("--log-level", "loud", "validate", ".")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown log level 'loud'", result.stderr)

    def test_sample_projects_validate(self):
        projects = os.path.join(SOURCE_DIR, "projects")
        for name in sorted(os.listdir(projects)):
            if name in NEEDS_GENERATED_CERTIFICATES:
                continue
            with self.subTest(project=name):
                result = run_sluice("validate", os.path.join(projects, name))
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                last = result.stdout.strip().splitlines()[-1]
                self.assertIn(": valid (", last)

    def test_documented_default_settings_are_all_known(self):
        # resources/deployment.toml lists every setting with its default: none may be unknown.
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "p")
            shutil.copytree(os.path.join(SOURCE_DIR, "projects", "websocket-echo"), project)
            shutil.copy(os.path.join(SOURCE_DIR, "resources", "deployment.toml"), project)
            result = run_sluice("validate", project)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("0 warning(s)", result.stdout)

    def test_validate_reports_every_problem_with_position(self):
        result = run_sluice("validate", BROKEN, cwd=TESTS_DIR)
        self.assertEqual(result.returncode, 1, result.stdout)
        lines = result.stdout.strip().splitlines()
        expected = [
            INB + "websocket.xml:2:1: duplicate inbound endpoint name 'websocket' (also at "
            "src/main/synapse-config/inbound-endpoints/duplicate.xml:2:1)",
            INB + "websocket.xml:6:9: inbound endpoint 'websocket': bad value for "
            "'ws.client.side.broadcast.level': '3' is not one of 0, 1, 2",
            INB + "websocket.xml:7:9: sequence 'noSuchSeq' does not exist",
            SEQ + "loopB.xml:3:5: sequence cycle: loopA -> loopB -> loopA",
            SEQ + "main.xml:4:5: sequence 'missingSeq' does not exist",
            SEQ + "main.xml:5:5: unknown mediator <frobnicate>",
        ]
        for line in expected:
            self.assertIn(line, lines)
        # The log mediator names the bad level at the attribute's position.
        self.assertTrue(any(re.match(re.escape(SEQ + "main.xml:3:10: ") + r".*'loud'", l)
                            for l in lines), lines)
        self.assertRegex(lines[-1], r"^data/cli/broken-project: 7 error\(s\), 0 warning\(s\)$")

    def test_run_refuses_invalid_project_and_listens_nowhere(self):
        # A copy of the broken project on ports nobody else uses, so "not listening" is ours.
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "broken")
            shutil.copytree(os.path.join(TESTS_DIR, BROKEN), project)
            ports = [free_port(), free_port()]
            for name, old, new in (("websocket.xml", "9092", ports[0]),
                                   ("duplicate.xml", "9093", ports[1])):
                path = os.path.join(project, "src/main/synapse-config/inbound-endpoints", name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text.replace(old, str(new)))
            result = run_sluice("run", project, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertIn("was not deployed", result.stderr)
        self.assertIn("unknown mediator <frobnicate>", result.stderr)
        for port in ports:
            self.assertFalse(port_is_listening(port))

    def test_missing_project_is_an_error(self):
        result = run_sluice("validate", "/nonexistent/project")
        self.assertEqual(result.returncode, 1)
        self.assertIn("/nonexistent/project", result.stdout)


if __name__ == "__main__":
    unittest.main()
