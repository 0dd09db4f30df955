# SPDX-License-Identifier: Apache-2.0
"""bench/compare_instructions.py reads callgrind's dumps itself for the code-lines figure: checked
here against real dumps of a small C program run under valgrind (neither written for Sluice).
The self costs it adds up must equal callgrind's own total (a call's inclusive cost line counted
as self cost, or a relative position read wrong, breaks that), and the lines it calls hot must
follow how often the code ran per "message": a function run on every second message counts, one
run on every fourth does not."""
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = os.environ.get(
    "SLUICE_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE_DIR, "bench"))
import compare_instructions  # noqa: E402

MESSAGES = 20000

# One "message" per loop turn: `every` calls each turn, `sometimes` on every PERIOD-th (argv[1]).
# Both are aligned to a cache line of their own and kept out of line, so each is whole lines
# of code that run exactly as often as they are called.
PROGRAM = r"""
#include <stdlib.h>
__attribute__((noinline, aligned(64))) unsigned every(unsigned x) { return x * 2654435761u + 1; }
__attribute__((noinline, aligned(64))) unsigned sometimes(unsigned x)
{
    for (int i = 0; i < 8; ++i)
        x = x * 40503u + (unsigned)i;
    return x;
}
int main(int argc, char **argv)
{
    const int period = atoi(argv[1]), messages = atoi(argv[2]);
    volatile unsigned sink = 0;
    for (int m = 0; m < messages; ++m) {
        sink = every(sink);
        if (m % period == 0)
            sink = sometimes(sink);
    }
    return 0;
}
"""


def total_from_dump(path):
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise AssertionError("no summary line in " + path)


@unittest.skipUnless(shutil.which("valgrind") and shutil.which("cc"),
                     "valgrind and a C compiler are needed")
class CallgrindDumpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="sluice-callgrind-test-")
        source = os.path.join(cls.work, "messages.c")
        with open(source, "w") as f:
            f.write(PROGRAM)
        cls.binary = os.path.join(cls.work, "messages")
        subprocess.run(["cc", "-O1", "-o", cls.binary, source], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def dump(self, period):
        """A directory holding the dump of one run (named as the benchmark names its dumps)."""
        directory = tempfile.mkdtemp(prefix="period-%d-" % period, dir=self.work)
        # The options the benchmark passes, and a name its glob (cg.PID.N) finds.
        argv = compare_instructions.callgrind_argv(directory)
        argv = [a.replace("cg.%p", "cg.%p.1") for a in argv]
        subprocess.run(argv + [self.binary, str(period), str(MESSAGES)], check=True,
                       capture_output=True, timeout=120)
        return directory

    def test_self_costs_add_up_to_callgrinds_total(self):
        directory = self.dump(1)
        (path,) = [os.path.join(directory, n) for n in os.listdir(directory)]
        counts = collections.Counter()
        compare_instructions.instruction_costs(path, counts)
        self.assertEqual(sum(counts.values()), total_from_dump(path))
        # And by address: the program's loop ran about MESSAGES times, not once.
        self.assertGreaterEqual(max(counts.values()), MESSAGES)

    def test_hot_lines_follow_how_often_code_runs_per_message(self):
        every_message = compare_instructions.hot_code_lines(self.dump(1), MESSAGES)
        every_second = compare_instructions.hot_code_lines(self.dump(2), MESSAGES)
        every_fourth = compare_instructions.hot_code_lines(self.dump(4), MESSAGES)
        # `sometimes` is one line or two; at a half per message it still counts (the threshold
        # is "at least every other message"), at a quarter it does not.
        self.assertEqual(every_second, every_message)
        self.assertIn(every_message - every_fourth, (1, 2))
        # The loop and `every` are hot; start-up code (the dynamic linker, libc's, run once) is
        # not: a few lines, not hundreds.
        self.assertGreaterEqual(every_fourth, 2)
        self.assertLess(every_message, 16)


if __name__ == "__main__":
    unittest.main()
