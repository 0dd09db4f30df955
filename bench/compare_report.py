# SPDX-License-Identifier: Apache-2.0
"""bench/compare.py's output: progress lines, the issue's targets (ratios measured in the same
run, PASS / FAIL), the Markdown table and the gnuplot chart.

    bench/compare_report.py bench/results/latest.json   # renders latest.md and latest.png again
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# Sluice with SLUICE_FORWARD_PLANS=off (compare_peers.start_sluice's name for it).
SLUICE_EXECUTOR = "Sluice, plans off"

PEER_ORDER = ["direct", "nginx", "Node-RED", "Sluice"]


def wait_accepting(peer, timeout=60):
    """Posts until the peer answers 202 (Node-RED's backend connection comes up late)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = urllib.request.Request(peer.http_url, data=b'{"hello":"websocket"}',
                                         method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 202:
                    time.sleep(0.5)
                    return
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            pass
        time.sleep(0.3)
    sys.exit("%s did not answer 202 within %d s" % (peer.name, timeout))


def progress(key, name, run):
    if "rps" in run:
        figure = "%.0f req/s, %.1f µs CPU/req" % (run["rps"], run["cpu_us_per_request"])
    elif run.get("mode") == "connect":
        figure = "%s connected at %.0f/s, %s KiB/pair, dropped %s" % (
            run.get("connected"), run.get("connects_per_s", 0),
            "%.1f" % run["kib_per_pair"] if "kib_per_pair" in run else "?", run.get("dropped"))
    else:
        figure = "%.0f msgs/s, %.2f µs CPU/msg (%.2f + %.2f), p50 %.3f ms" % (
            run.get("msgs_per_s", 0), run.get("cpu_us_per_msg", 0),
            run.get("cpu_user_us_per_msg", 0), run.get("cpu_sys_us_per_msg", 0),
            run.get("lat_p50", 0))
    valid = "" if run.get("valid") else "  INVALID: %s" % run.get("first_problem")
    print("  %-28s %-28s %s%s" % (key, name, figure, valid), flush=True)


def median(summary, key, peer, field):
    try:
        return summary[key][peer][field]["median"]
    except KeyError:
        return None


def paired_ratio(summary, key, peer, reference, field):
    """The median over rounds of peer's figure over reference's in the same round. The two run
    back to back in each round, so a machine that drifts between rounds (its other tenants,
    its clock) moves both alike; the ratio of the two medians mixes rounds and keeps that
    drift. Falls back to the ratio of the medians for results without per-round figures."""
    try:
        ours = summary[key][peer][field].get("rounds")
        theirs = summary[key][reference][field].get("rounds")
    except KeyError:
        return None
    if ours and theirs and len(ours) == len(theirs):
        ratios = [a / b for a, b in zip(ours, theirs) if a is not None and b]
        if ratios:
            return statistics.median(ratios)
    a, b = median(summary, key, peer, field), median(summary, key, reference, field)
    return a / b if a is not None and b else None


def verdict(ok):
    return "PASS" if ok else "FAIL"


def targets(results):
    """The issue's targets, each from figures of this run. Adds results["targets"]."""
    s = results["summary"]
    lines = []

    def add(name, value, limit, ok, note=""):
        lines.append({"target": name, "measured": value, "limit": limit,
                      "result": "n/a" if ok is None else verdict(ok), "note": note})

    for key in (k for k in s if k.startswith("W2")):
        sl = median(s, key, "Sluice", "cpu_us_per_msg")
        ng = median(s, key, "nginx", "cpu_us_per_msg")
        nr = median(s, key, "Node-RED", "cpu_us_per_msg")
        # The verdict is the median of the rounds' ratios (the issue: ratios measured in the
        # same run, the median of 5); the ratio of the medians is shown beside it.
        if sl and ng:
            ratio = paired_ratio(s, key, "Sluice", "nginx", "cpu_us_per_msg")
            add("%s: CPU/msg Sluice / nginx" % key,
                "%.2fx (medians: %.2fx)" % (ratio, sl / ng), "<= 1.0x", ratio <= 1.0)
        if sl and nr:
            ratio = paired_ratio(s, key, "Node-RED", "Sluice", "cpu_us_per_msg")
            add("%s: CPU/msg Node-RED / Sluice" % key,
                "%.2fx (medians: %.2fx)" % (ratio, nr / sl), ">= 4x", ratio >= 4)
    w1 = next((k for k in s if k.startswith("W1")), None)
    if w1:
        direct = {f: median(s, w1, "direct", f) for f in ("lat_p50", "lat_p99")}
        for field, factor in (("lat_p50", 1.0), ("lat_p99", 1.5)):
            sl, ng = median(s, w1, "Sluice", field), median(s, w1, "nginx", field)
            if None in (sl, ng, direct[field]):
                continue
            added_sl, added_ng = sl - direct[field], ng - direct[field]
            add("W1 added %s: Sluice vs nginx" % field[4:],
                "%.3f ms vs %.3f ms" % (added_sl, added_ng),
                "<= %.1fx nginx's" % factor, added_sl <= factor * added_ng)
    w3 = next((k for k in s if k.startswith("W3")), None)
    if w3:
        smaller = ("%d pairs, not 20 000: the open-files cap of this machine" %
                   results["meta"]["w3_connections"]) if results["meta"].get("w3_note") else ""
        sl, ng = median(s, w3, "Sluice", "kib_per_pair"), median(s, w3, "nginx", "kib_per_pair")
        if sl is not None and ng:
            add("W3 memory per pair Sluice / nginx", "%.1f / %.1f KiB = %.2fx" % (sl, ng, sl / ng),
                "<= 2x", sl / ng <= 2, smaller)
        if "Sluice" in s[w3]:
            wanted = results["meta"]["w3_connections"]
            connected = median(s, w3, "Sluice", "connected")
            dropped = median(s, w3, "Sluice", "dropped")
            add("W3 Sluice pairs held, none dropped", "%s of %d, %s dropped" %
                (connected, wanted, dropped), "all, 0 dropped",
                connected == wanted and dropped == 0 and s[w3]["Sluice"]["valid"], smaller)
    w4 = next((k for k in s if k.startswith("W4")), None)
    if w4:
        sl, nr = median(s, w4, "Sluice", "rps"), median(s, w4, "Node-RED", "rps")
        if sl and nr:
            add("W4 requests/s Sluice / Node-RED", "%.1fx" % (sl / nr), ">= 10x", sl / nr >= 10)
        sl = median(s, w4, "Sluice", "cpu_us_per_request")
        nr = median(s, w4, "Node-RED", "cpu_us_per_request")
        if sl and nr:
            add("W4 CPU/request Sluice / Node-RED", "%.3fx" % (sl / nr), "<= 0.1x", sl / nr <= 0.1)
        if "Sluice" in s[w4]:
            add("W4 Sluice none lost", "valid" if s[w4]["Sluice"]["valid"] else
                s[w4]["Sluice"]["first_problem"], "every 202 delivered", s[w4]["Sluice"]["valid"])
    scaling = next((k for k in s if k.startswith("scaling")), None)
    if scaling:
        one = median(s, scaling, "Sluice", "msgs_per_s")
        two = median(s, scaling, "Sluice 2 threads on 2 CPUs", "msgs_per_s")
        if one and two:
            cores = results["meta"]["cpus"]
            note = ("not measurable: %d CPUs, no core of its own for the load generator and "
                    "the backend, which share the two with Sluice" % cores) if cores < 3 else ""
            add("2 threads / 1 thread msgs/s", "%.2fx" % (two / one), ">= 1.7x",
                None if note else two / one >= 1.7, note)
    events = next((k for k in s if k.startswith("events")), None)
    if events:
        off = median(s, events, "Sluice", "cpu_us_per_msg")
        on = median(s, events, "Sluice events recorded", "cpu_us_per_msg")
        if off and on:
            ratio = paired_ratio(s, events, "Sluice events recorded", "Sluice", "cpu_us_per_msg")
            add("events recorded, unwatched: CPU/msg over off",
                "%+.1f%% (medians: %+.1f%%)" % ((ratio - 1) * 100, (on / off - 1) * 100),
                "<= +3%", ratio - 1 <= 0.03)
        # Recording runs in user space only (no system call: docs/events.md), so the user time
        # it adds is what it costs, without the kernel's share and its noise.
        user_off = median(s, events, "Sluice", "cpu_user_us_per_msg")
        user_on = median(s, events, "Sluice events recorded", "cpu_user_us_per_msg")
        if off and user_off is not None and user_on is not None:
            add("events recorded, unwatched: user CPU/msg added, of CPU/msg off",
                "%+.2f µs = %+.1f%%" % (user_on - user_off, (user_on - user_off) / off * 100),
                "(CPU above)", None, "user space only")
    plans = next((k for k in s if k.startswith("plans")), None)
    if plans and median(s, plans, "Sluice", "cpu_us_per_msg") and \
            median(s, plans, SLUICE_EXECUTOR, "cpu_us_per_msg"):
        ratio = paired_ratio(s, plans, "Sluice", SLUICE_EXECUTOR, "cpu_us_per_msg")
        add("forward plans: CPU/msg over the executor's (SLUICE_FORWARD_PLANS=off)",
            "%+.1f%%" % ((ratio - 1) * 100), "(informative)", None,
            "the seed's flows either way")
    instructions = next((k for k in s if k.startswith("instructions")), None)
    if instructions:
        off = median(s, instructions, "Sluice", "instructions_per_msg")
        on = median(s, instructions, "Sluice events recorded", "instructions_per_msg")
        if off and on:
            # What recording adds in user space alone (callgrind): steadier than CPU time, but
            # the kernel's share of a message, which events do not add to, is not in it.
            add("events recorded, unwatched: instructions/msg over off",
                "%+.1f%% (%+.0f)" % ((on / off - 1) * 100, on - off), "(CPU above)", None,
                "user space only")
        lines_off = median(s, instructions, "Sluice", "code_lines_per_msg")
        lines_on = median(s, instructions, "Sluice events recorded", "code_lines_per_msg")
        if lines_off and lines_on:
            add("events recorded, unwatched: code lines/msg over off",
                "%+.1f%% (%+.0f)" % ((lines_on / lines_off - 1) * 100, lines_on - lines_off),
                "(CPU above)", None, "user space only")
    results["targets"] = lines


def cell(summary_entry, field, fmt, scale=1.0):
    value = summary_entry.get(field)
    if not value:
        return "–"
    med = fmt % (value["median"] * scale)
    if summary_entry.get("rounds", 1) > 1 and value["min"] != value["max"]:
        med += " (%s–%s)" % (fmt % (value["min"] * scale), fmt % (value["max"] * scale))
    return med


MIB = "MiB"  # a column format: KiB shown as MiB with one decimal


def table(s, keys, columns, verdict_title, good, bad):
    """Markdown rows, one per (workload, target): each column (title, field, format) as median
    (min–max); the workload column only when there are several workloads."""
    several = len(keys) > 1
    titles = (["workload"] if several else []) + ["target"] + [c[0] for c in columns]
    rows = ["| %s | %s |" % (" | ".join(titles), verdict_title),
            "|%s --- |" % ("".join(" --- |" if t in ("workload", "target") else " ---: |"
                                   for t in titles))]
    for key in keys:
        for name in ordered(s[key]):
            e = s[key][name]
            cells = ([key] if several else []) + [name] + [
                cell(e, field, "%.1f", 1 / 1024.0) if fmt == MIB else cell(e, field, fmt)
                for _, field, fmt in columns]
            cells.append(good if e["valid"] else "%s: %s" % (bad, e["first_problem"]))
            rows.append("| %s |" % " | ".join(cells))
    return rows


def ordered(names):
    return sorted(names, key=lambda n: (PEER_ORDER.index(n) if n in PEER_ORDER else 9, n))


def markdown(results):
    meta = results["meta"]
    s = results["summary"]
    out = ["# WebSocket proxying: direct, nginx, Node-RED, Sluice", "",
           "%s; %d CPUs; %s; Sluice build %s; %d round(s) per figure, median (min–max); "
           "%.1f s warm-up + %.1f s measured per run; load average %.1f before, %.1f after; "
           "%d s in all. Instructions per message: %s." % (
               meta["date"], meta["cpus"], meta["pinning"], meta["build_type"], meta["rounds"],
               meta["warmup_s"], meta["duration_s"], meta["load_before"][0],
               meta.get("load_after", [0])[0], meta.get("seconds", 0),
               "callgrind (table below); perf stat " + meta["instructions"]
               if meta.get("callgrind", "n/a").startswith("window") else meta["instructions"]),
           "", ("Sluice ran with %s." % " ".join(meta["sluice_env"]) if meta.get("sluice_env")
                else "Sluice ran as shipped: its worker threads on its epoll event dispatcher "
                "(docs/performance.md), the main thread on Qt's."),
           "", "CPU µs/msg: the proxy process's utime + stime over the measured window divided "
           "by the echoes received in it (one message each way through the proxy); user µs and "
           "sys µs are the two parts (the proxy's own code; the kernel's system calls and TCP "
           "for it). Instructions/msg: user space, counted by callgrind under the same W2 load "
           "(bench/compare_instructions.py). Latency: closed loop, one message in flight per "
           "connection.", "", short_table(results)]
    message_columns = [("msgs/s", "msgs_per_s", "%.0f"), ("p50 ms", "lat_p50", "%.3f"),
                       ("p99 ms", "lat_p99", "%.3f"), ("p99.9 ms", "lat_p999", "%.3f"),
                       ("CPU µs/msg", "cpu_us_per_msg", "%.1f"),
                       ("user µs", "cpu_user_us_per_msg", "%.1f"),
                       ("sys µs", "cpu_sys_us_per_msg", "%.1f"),
                       ("proxy busy %", "proxy_busy_pct", "%.0f"), ("RSS MiB", "rss_kib", MIB)]
    keys = [k for k in s if k.startswith(("W1", "W2", "rate", "scaling", "events", "plans"))]
    out += table(s, keys, message_columns, "valid", "yes", "**INVALID**")
    instructions = next((k for k in s if k.startswith("instructions")), None)
    if instructions:
        out += ["", "**%s**: the proxy under callgrind, %s, while a closed loop of 50 "
                "connections goes through it; its instructions (user space, every thread) over "
                "the messages echoed in that window, and its code lines per message (64-byte "
                "lines of machine code with an instruction run at least every other message: "
                "fetched again for each message once the kernel's work has evicted them)"
                % (instructions, meta.get("callgrind", "")), ""]
        out += table(s, [instructions], [("messages", "messages", "%.0f"),
                                         ("instructions/msg", "instructions_per_msg", "%.0f"),
                                         ("code lines/msg", "code_lines_per_msg", "%.0f")],
                     "valid", "yes", "**INVALID**")
    w3 = next((k for k in s if k.startswith("W3")), None)
    if w3:
        out += ["", "**%s** (connect as fast as accepted, 256 handshakes at a time; then one "
                "echoed message per connection, so that a proxy that opens its backend "
                "connection lazily holds every pair; hold %.0f s with 2 more alive checks; "
                "memory = proxy RSS delta / pairs)" % (w3, meta["hold_s"]), ""]
        out += table(s, [w3], [("connected", "connected", "%.0f"),
                               ("connects/s", "connects_per_s", "%.0f"),
                               ("paired (first echo)", "paired", "%.0f"),
                               ("pairs/s", "pairs_per_s", "%.0f"), ("dropped", "dropped", "%.0f"),
                               ("KiB per pair", "kib_per_pair", "%.1f"),
                               ("RSS held MiB", "held_rss_kib", MIB)],
                     "valid", "yes", "**INVALID**")
        if meta.get("w3_note"):
            out += ["", "W3 size: " + meta["w3_note"] + "."]
        if "Node-RED" in s[w3]:
            out.append("")
            out.append("Node-RED holds one shared backend connection for all its clients (its "
                       "websocket-client node), so its figure is per client connection, not per "
                       "pair.")
    w4 = next((k for k in s if k.startswith("W4")), None)
    if w4:
        out += ["", "**%s**, %d s per run (POST 28-byte JSON -> one frame to the backend -> 202)"
                % (w4, meta["wrk_duration_s"]), ""]
        out += table(s, [w4], [("requests/s", "rps", "%.0f"), ("p50 ms", "p50", "%.2f"),
                               ("p99 ms", "p99", "%.2f"),
                               ("CPU µs/request", "cpu_us_per_request", "%.1f"),
                               ("proxy busy %", "proxy_busy_pct", "%.0f"),
                               ("RSS MiB", "rss_kib", MIB)],
                     "deliveries", "all 202s at the backend", "**MISMATCH**")
    out += ["", "## Targets", "", "| target | measured | goal | result |",
            "| --- | --- | --- | --- |"]
    for t in results.get("targets", []):
        out.append("| %s | %s | %s | %s%s |" % (t["target"], t["measured"], t["limit"],
                                                t["result"], " (%s)" % t["note"] if t["note"]
                                                else ""))
    return "\n".join(out) + "\n"


def write_latency(path, s, key, names):
    with open(path, "w") as f:
        f.write("target p50 p99 p99.9\n")
        for name in names:
            e = s[key].get(name, {})
            f.write('"%s" %s\n' % (name, " ".join(
                "%.4f" % e[field]["median"] if field in e else "NaN"
                for field in ("lat_p50", "lat_p99", "lat_p999"))))


def chart(results, png):
    """Latency percentiles per target for W1 and one W2 load, and CPU µs per message for every
    W1 / W2 load (log scales: Node-RED is ten times the others)."""
    s = results["summary"]
    keys = [k for k in s if k.startswith("W1") or k.startswith("W2")]
    names = [n for n in PEER_ORDER if any(n in s[k] for k in keys)]
    if not keys or not names:
        return
    latency_keys = (keys[:1] + [k for k in keys if k.startswith("W2 50c 64B text")][:1] +
                    [k for k in s if k.startswith("rate")][:1])
    with tempfile.TemporaryDirectory(prefix="sluice-chart-") as tmp:
        panels = []
        for i, key in enumerate(latency_keys):
            path = os.path.join(tmp, "latency%d.dat" % i)
            write_latency(path, s, key, names)
            panels.append("""set title '%s: latency percentiles, ms (median of rounds)'
plot '%s' using 2:xtic(1) title columnhead, '' using 3 title columnhead, '' using 4 title columnhead
""" % (key, path))
        cpu = os.path.join(tmp, "cpu.dat")
        with open(cpu, "w") as f:
            f.write("workload %s\n" % " ".join('"%s"' % n for n in names))
            for key in keys:
                f.write('"%s" %s\n' % (key, " ".join(
                    "%.2f" % s[key][n]["cpu_us_per_msg"]["median"]
                    if n in s[key] and "cpu_us_per_msg" in s[key][n] else "NaN" for n in names)))
        script = os.path.join(tmp, "chart.gp")
        with open(script, "w") as f:
            f.write("""set terminal pngcairo size 1400,%(height)d font 'Sans,11'
set output '%(png)s'
set multiplot layout %(rows)d,1 title '%(title)s'
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key top left
set grid ytics
set logscale y
set ylabel 'ms (log scale)'
%(panels)s
set ylabel 'CPU µs per message (log scale)'
set title 'Proxy CPU per message (utime + stime / echoes), lower is better'
set xtics rotate by -15
plot for [i=2:%(cols)d] '%(cpu)s' using i:xtic(1) title columnhead
unset multiplot
""" % {"png": png, "cpu": cpu, "cols": len(names) + 1, "rows": len(panels) + 1,
                "height": 450 * (len(panels) + 1), "panels": "".join(panels),
                "title": "Sluice bench %s, %s" % (results["meta"]["date"],
                                                 results["meta"]["pinning"])})
        subprocess.run(["gnuplot", script], check=True)


def short_table(results):
    """The few figures the top-level README shows: one row per target."""
    s = results["summary"]

    def find(prefix):
        return next((k for k in s if k.startswith(prefix)), None)

    w1, w2s, w2l = find("W1"), find("W2 50c 64B text"), find("W2 50c 16KiB binary")
    w3, w4, ins = find("W3"), find("W4"), find("instructions")
    rows = ["| target | W1 p50 / p99 ms | W2 50c 64 B text: msgs/s, CPU µs/msg (user + sys) | "
            "W2 50c 64 B: instructions / code lines per msg | "
            "W2 50c 16 KiB binary: CPU µs/msg | W3 KiB/pair | W4 requests/s, CPU µs/request |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def code_figure(instructions, code_lines):
        # Instructions and code lines come from the same callgrind run: both or neither.
        return "–" if instructions == "–" else "%s / %s" % (instructions, code_lines)

    for name in PEER_ORDER:
        def fig(key, field, fmt):
            value = median(s, key, name, field) if key else None
            return "–" if value is None else fmt % value
        split = "–"
        if fig(w2s, "cpu_user_us_per_msg", "%.1f") != "–":
            split = "%s + %s" % (fig(w2s, "cpu_user_us_per_msg", "%.1f"),
                                 fig(w2s, "cpu_sys_us_per_msg", "%.1f"))
        rows.append("| %s | %s / %s | %s, %s (%s) | %s | %s | %s | %s |" % (
            name, fig(w1, "lat_p50", "%.3f"), fig(w1, "lat_p99", "%.2f"),
            fig(w2s, "msgs_per_s", "%.0f"), fig(w2s, "cpu_us_per_msg", "%.1f"), split,
            code_figure(fig(ins, "instructions_per_msg", "%.0f"),
                        fig(ins, "code_lines_per_msg", "%.0f")),
            fig(w2l, "cpu_us_per_msg", "%.1f"), fig(w3, "kib_per_pair", "%.1f"),
            "%s, %s" % (fig(w4, "rps", "%.0f"), fig(w4, "cpu_us_per_request", "%.1f"))
            if w4 and name in s[w4] else "–"))
    return "\n".join(rows) + "\n"


def render(json_path):
    """latest.md and latest.png again from latest.json (the report changed, not the run)."""
    import json
    with open(json_path) as f:
        results = json.load(f)
    targets(results)
    out = os.path.dirname(os.path.abspath(json_path))
    with open(os.path.join(out, "latest.md"), "w") as f:
        f.write(markdown(results))
    chart(results, os.path.join(out, "latest.png"))


if __name__ == "__main__":
    render(sys.argv[1])
