# SPDX-License-Identifier: Apache-2.0
"""bench/compare_report.py judges the issue's ratio targets round by round: the median of each
round's ratio of two targets run back to back, not the ratio of two medians taken from
different rounds. Checked on figures made up so that the two verdicts differ: a machine that
got slower part way through the run (between two targets' runs of one round) makes the medians'
ratio fail while the rounds' ratios pass, and the report must follow the rounds."""
import os
import sys
import unittest

SOURCE_DIR = os.environ.get(
    "SLUICE_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE_DIR, "bench"))
import compare_report  # noqa: E402


def figure(rounds):
    ordered = sorted(rounds)
    return {"median": ordered[len(ordered) // 2], "min": ordered[0], "max": ordered[-1],
            "rounds": list(rounds)}


def results_with(summary):
    return {"summary": summary, "meta": {}}


def target(results, name):
    compare_report.targets(results)
    found = [t for t in results["targets"] if t["target"] == name]
    if len(found) != 1:
        raise AssertionError("%r not among %r" % (name, [t["target"] for t in results["targets"]]))
    return found[0]


# Sluice is 0.98x of nginx in every round; the machine got 20 % slower during round 3, between
# nginx's run and Sluice's.
NGINX = [20.0, 20.2, 19.9, 24.0, 24.1]
SLUICE = [19.6, 19.8, 23.4, 23.5, 23.6]


class PairedRatioTest(unittest.TestCase):
    def summary(self, sluice, nginx):
        return {"W2 50c 64B text": {"Sluice": {"cpu_us_per_msg": figure(sluice)},
                                    "nginx": {"cpu_us_per_msg": figure(nginx)}}}

    def test_median_of_the_rounds_ratios(self):
        summary = self.summary(SLUICE, NGINX)
        ratio = compare_report.paired_ratio(summary, "W2 50c 64B text", "Sluice", "nginx",
                                            "cpu_us_per_msg")
        # Rounds' ratios 0.980, 0.980, 1.176, 0.979, 0.979: the median is round 1's or 2's.
        self.assertAlmostEqual(ratio, 19.6 / 20.0, places=3)

    def test_verdict_follows_the_rounds(self):
        # The medians' ratio, 23.4 / 20.2, fails; every round but the one the slow-down split
        # passes, and so does the verdict.
        self.assertGreater(figure(SLUICE)["median"] / figure(NGINX)["median"], 1.15)
        t = target(results_with(self.summary(SLUICE, NGINX)),
                   "W2 50c 64B text: CPU/msg Sluice / nginx")
        self.assertEqual(t["result"], "PASS", t)
        self.assertTrue(t["measured"].startswith("0.98x (medians: 1.16x)"), t)

    def test_a_slower_round_fails(self):
        sluice = [20.4, 20.6, 20.3, 24.5, 24.6]  # 1.02x in every round, no drift
        t = target(results_with(self.summary(sluice, NGINX)),
                   "W2 50c 64B text: CPU/msg Sluice / nginx")
        self.assertEqual(t["result"], "FAIL", t)

    def test_old_results_without_rounds_use_the_medians(self):
        summary = self.summary(SLUICE, NGINX)
        for peer in summary["W2 50c 64B text"].values():
            del peer["cpu_us_per_msg"]["rounds"]
        ratio = compare_report.paired_ratio(summary, "W2 50c 64B text", "Sluice", "nginx",
                                            "cpu_us_per_msg")
        self.assertAlmostEqual(ratio, 23.4 / 20.2, places=6)

    def test_events_target_and_user_share(self):
        key = "events W2 50c 64B text"
        off = {"cpu_us_per_msg": figure([8.0, 8.1, 8.2, 9.6, 9.7]),
               "cpu_user_us_per_msg": figure([1.0, 1.0, 1.1, 1.2, 1.2])}
        on = {"cpu_us_per_msg": figure([8.4, 8.5, 8.6, 10.1, 10.2]),  # +5 % in every round
              "cpu_user_us_per_msg": figure([1.4, 1.4, 1.5, 1.6, 1.6])}
        results = results_with({key: {"Sluice": off, "Sluice events recorded": on}})
        t = target(results, "events recorded, unwatched: CPU/msg over off")
        self.assertEqual(t["result"], "FAIL", t)
        self.assertTrue(t["measured"].startswith("+5."), t)
        user = target(results, "events recorded, unwatched: user CPU/msg added, of CPU/msg off")
        self.assertEqual(user["result"], "n/a")
        self.assertTrue(user["measured"].startswith("+0.40 µs = +4.9%"), user)


if __name__ == "__main__":
    unittest.main()
