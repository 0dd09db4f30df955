# SPDX-License-Identifier: Apache-2.0
"""Command-line conventions of every sluice command: --help, exit status 2 on usage errors,
--json for scripts, --progress, and the bash completion (driven through bash itself)."""
import json
import os
import pty
import re
import shutil
import subprocess
import tempfile
import unittest

from sluice_process import SLUICE, SOURCE_DIR, TESTS_DIR, run_sluice

COMPLETION = os.path.join(SOURCE_DIR, "packaging", "sluice.bash-completion")
BROKEN = os.path.join(TESTS_DIR, "data", "cli", "broken-project")
ECHO = os.path.join(SOURCE_DIR, "projects", "websocket-echo")
# Every command and the options its --help must mention.
COMMANDS = {
    "run": ["--management-port", "--no-management", "--management-token-file", "--progress"],
    "validate": ["--json", "--progress"],
    "logs": ["--follow", "--connection", "--kind", "--json", "--url", "--token-file", "--since"],
    "version": ["--json"],
    "describe": [],
}


def complete(*words, cwd=None):
    """What bash offers for `sluice WORDS...<TAB>` (the last word is being completed)."""
    script = ("shopt -s extglob; . %s; COMP_WORDS=(sluice %s); COMP_CWORD=%d; _sluice; "
              "printf '%%s\\n' \"${COMPREPLY[@]}\"" % (
                  COMPLETION, " ".join("'%s'" % w for w in words), len(words)))
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], cwd=cwd,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


class HelpAndUsageTest(unittest.TestCase):
    def test_every_command_has_help(self):
        for command, options in COMMANDS.items():
            with self.subTest(command=command):
                result = run_sluice(command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertTrue(result.stdout.startswith("Usage: sluice %s " % command),
                                result.stdout[:80])
                for option in options + ["--help"]:
                    self.assertIn(option, result.stdout)

    def test_main_help_lists_every_command(self):
        result = run_sluice("--help")
        self.assertEqual(result.returncode, 0)
        for command in COMMANDS:
            self.assertRegex(result.stdout, r"\n  %s\b" % command)

    def test_unknown_option_is_a_usage_error_for_every_command(self):
        for command in COMMANDS:
            with self.subTest(command=command):
                result = run_sluice(command, "--no-such-option")
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("sluice %s: Unknown option 'no-such-option'" % command,
                              result.stderr)
                self.assertIn("Run 'sluice %s --help'" % command, result.stderr)
                self.assertEqual(result.stdout, "")

    def test_missing_project_is_a_usage_error(self):
        for command in ("run", "validate"):
            with self.subTest(command=command):
                result = run_sluice(command)
                self.assertEqual(result.returncode, 2)
                self.assertIn("expected one PROJECT", result.stderr)

    def test_missing_option_value_is_a_usage_error(self):
        result = run_sluice("logs", "--url")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Missing value after '--url'", result.stderr)


class JsonOutputTest(unittest.TestCase):
    def test_validate_json_lists_every_problem_with_its_position(self):
        result = run_sluice("validate", "--json", "data/cli/broken-project", cwd=TESTS_DIR)
        self.assertEqual(result.returncode, 1)
        report = json.loads(result.stdout)
        self.assertFalse(report["valid"])
        self.assertEqual(report["errors"], 7)
        self.assertEqual(len(report["problems"]), 7)
        problem = next(p for p in report["problems"] if "frobnicate" in p["message"])
        self.assertEqual(problem, {
            "file": "data/cli/broken-project/src/main/synapse-config/sequences/main.xml",
            "line": 5, "column": 5, "severity": "error",
            "message": "unknown mediator <frobnicate>"})
        # The text output says the same, line for line.
        text = run_sluice("validate", "data/cli/broken-project", cwd=TESTS_DIR).stdout
        for p in report["problems"]:
            self.assertIn("%s:%d:%d: %s" % (p["file"], p["line"], p["column"], p["message"]),
                          text)

    def test_validate_json_of_a_valid_project(self):
        result = run_sluice("validate", "--json", ECHO)
        self.assertEqual(result.returncode, 0, result.stdout)
        report = json.loads(result.stdout)
        self.assertTrue(report["valid"])
        self.assertEqual(report["problems"], [])
        self.assertEqual(report["artifacts"], 5)
        self.assertIn("2 inbound endpoints", report["summary"])

    def test_validate_json_of_a_missing_project(self):
        result = run_sluice("validate", "--json", "no-such-project")
        self.assertEqual(result.returncode, 1)
        problem = json.loads(result.stdout)["problems"][0]
        self.assertEqual(problem["file"], "no-such-project")

    def test_version_json(self):
        result = run_sluice("version", "--json")
        self.assertEqual(result.returncode, 0)
        version = json.loads(result.stdout)
        self.assertEqual(version["name"], "sluice")
        self.assertEqual("sluice %s\n" % version["version"], run_sluice("--version").stdout)
        self.assertRegex(version["qt"], r"^6\.\d+\.\d+$")

    def test_describe_is_json_with_every_mediator(self):
        result = run_sluice("describe")
        self.assertEqual(result.returncode, 0)
        described = json.loads(result.stdout)
        names = [m["element"] for m in described["mediators"]]
        for name in ("log", "property", "send", "respond", "filter", "switch", "payloadFactory"):
            self.assertIn(name, names)
        ws = next(e for e in described["inboundEndpoints"] if e["protocol"] == "ws")
        port = next(p for p in ws["parameters"] if p["name"] == "inbound.ws.port")
        self.assertTrue(port["required"])


class ProgressTest(unittest.TestCase):
    def test_progress_lines_on_a_pipe_when_asked(self):
        result = run_sluice("validate", "--progress", ECHO)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stderr.splitlines(), [
            "[1/3] reading %s" % ECHO, "[2/3] compiling 5 artifacts",
            "[3/3] opening trust stores"])

    def test_progress_counts_the_artifacts_of_a_large_project(self):
        # The echo sample plus 1000 sequences, each logging and calling the next.
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "large")
            shutil.copytree(ECHO, project)
            sequences = os.path.join(project, "src", "main", "synapse-config", "sequences")
            for i in range(1000):
                call = '<sequence key="s%d"/>' % (i + 1) if i < 999 else "<drop/>"
                with open(os.path.join(sequences, "s%d.xml" % i), "w", encoding="utf-8") as f:
                    f.write('<sequence xmlns="http://ws.apache.org/ns/synapse" name="s%d">'
                            '<log level="custom"><property name="n" value="%d"/></log>%s'
                            '</sequence>\n' % (i, i, call))
            result = run_sluice("validate", "--progress", project, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout[-2000:])
        self.assertIn("[2/3] compiling 1005 artifacts", result.stderr.splitlines())
        self.assertIn("1003 sequences", result.stdout)

    def test_no_progress_on_a_pipe_by_default(self):
        result = run_sluice("validate", ECHO)
        self.assertEqual(result.stderr, "")

    def test_progress_line_is_rewritten_and_erased_on_a_terminal(self):
        # stderr on a pseudo-terminal, stdout on a pipe.
        leader, follower = pty.openpty()
        try:
            process = subprocess.run([SLUICE, "validate", ECHO], stdout=subprocess.PIPE,
                                     stderr=follower, timeout=60)
            os.close(follower)
            follower = -1
            seen = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
        finally:
            if follower >= 0:
                os.close(follower)
            os.close(leader)
        self.assertEqual(process.returncode, 0)
        self.assertIn(b"\r[2/3] compiling 5 artifacts\x1b[K", seen)
        self.assertTrue(seen.endswith(b"\r\x1b[K"), seen[-40:])
        self.assertIn(b"valid (", process.stdout)


class BashCompletionTest(unittest.TestCase):
    def test_commands(self):
        self.assertEqual(complete("va"), ["validate"])
        self.assertEqual(sorted(complete("")), sorted(COMMANDS))
        self.assertEqual(complete("--log-level", "debug", "lo"), ["logs"])

    def test_options_offered_are_the_commands_own(self):
        for command, options in COMMANDS.items():
            with self.subTest(command=command):
                offered = complete(command, "--")
                self.assertEqual(sorted(offered), sorted(options + ["--help"]))
                help_text = run_sluice(command, "--help").stdout
                for option in offered:
                    self.assertRegex(help_text, r"(^|[ ,])%s\b" % re.escape(option))

    def test_values(self):
        self.assertEqual(complete("--log-level", "w"), ["warn"])
        self.assertEqual(complete("logs", "--kind", "frame-in,fr"),
                         ["frame-in,frame-in", "frame-in,frame-out"])

    def test_project_arguments_are_directories_and_car_or_xml_files(self):
        projects = os.path.join(SOURCE_DIR, "projects")
        offered = complete("validate", "websocket-", cwd=projects)
        self.assertEqual(sorted(offered), ["websocket-echo", "websocket-to-websocket"])
        inside = complete("validate", "websocket-echo/", cwd=projects)
        self.assertIn("websocket-echo/src", inside)
        self.assertNotIn("websocket-echo/README.md", inside)


if __name__ == "__main__":
    unittest.main()
