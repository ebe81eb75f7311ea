#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The arithmetic of bench/run's figures: one script, four commands.

  report.py round FILE
      one round's times, for the progress line
  report.py merge OUT NAME:EXIT... -- FILE...
      the rounds of a timed workload (hyperfine's JSON exports), as one
      hyperfine-style JSON, contestants in NAME order (the limit first); every
      run of NAME must have exited with EXIT, else it exits 1
  report.py merge-rss OUT NAME... -- FILE...
      the rounds of a memory workload (lines "NAME<TAB>KiB" of GNU time's %M),
      as one JSON of the same shape, in KiB instead of seconds
  report.py report DIR
      the table, and DIR/summary.md; it exits 0 whatever the verdicts: this is
      a benchmark, not a test
"""
import json
import pathlib
import statistics
import sys

NOISY = 10      # percent: a spread above this makes a ratio doubtful


def seconds(s):
    if s < 0.01:
        return f"{s * 1000:.2f} ms"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.3f} s"


def megabytes(kib):
    return f"{kib * 1024 / 1e6:.1f} MB"


def summarize(name, values):
    """The statistics the report reads, named as in hyperfine's export."""
    return {
        "command": name,
        "mean": statistics.mean(values),
        "stddev": statistics.stdev(values) if len(values) > 1 else None,
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def split_names(args):
    split = args.index("--")
    return args[:split], args[split + 1:]


def round_line(path):
    data = json.loads(pathlib.Path(path).read_text())["results"]
    # The median when a round ran each contestant more than once.
    print(", ".join(f"{r['command']} {seconds(statistics.median(r['times']))}" for r in data))


def merge(out, args):
    specs, files = split_names(args)
    expected = dict(spec.rsplit(":", 1) for spec in specs)
    runs = {name: [] for name in expected}
    for path in files:
        for r in json.loads(pathlib.Path(path).read_text())["results"]:
            runs[r["command"]].append(r)
    results, wrong = [], []
    for name, code in expected.items():
        times = [t for r in runs[name] for t in r["times"]]
        codes = [c for r in runs[name] for c in r["exit_codes"]]
        wrong += [f"{name} exited {c}, not {code}" for c in codes if c != int(code)]
        results.append(summarize(name, times) | {
            "user": statistics.mean(r["user"] for r in runs[name]),
            "system": statistics.mean(r["system"] for r in runs[name]),
            "times": times,
            "exit_codes": codes,
        })
    pathlib.Path(out).write_text(json.dumps({"results": results}, indent=2) + "\n")
    if wrong:
        sys.exit("; ".join(sorted(set(wrong))))


def merge_rss(out, args):
    names, files = split_names(args)
    peaks = {name: [] for name in names}
    for path in files:
        for line in pathlib.Path(path).read_text().splitlines():
            name, kib = line.split("\t")
            peaks[name].append(int(kib))
    results = [summarize(name, peaks[name]) | {"peak_rss_kib": peaks[name]} for name in names]
    pathlib.Path(out).write_text(json.dumps({"unit": "KiB", "results": results}, indent=2) + "\n")


def report(results):
    results = pathlib.Path(results)

    def tsv(name):
        lines = (results / name).read_text().splitlines()
        return [line.split("\t") for line in lines if line]

    env = tsv("environment.tsv")
    targets = tsv("targets.tsv")
    rows = []       # one dict per line of the table
    missed = total = 0
    machine_bound = noisy = False

    for wid, title, metric, nbytes, deadline in tsv("workloads.tsv"):
        nbytes = int(nbytes)
        show = megabytes if metric == "rss" else seconds
        data = json.loads((results / f"{wid}.json").read_text())["results"]
        median = {r["command"]: r["median"] for r in data}
        limit = data[0]["command"]
        # `nbytes` counts bytes, or jobs for a workload measured in jobs/s.
        mbps = lambda name: nbytes / median[name] / 1e6
        jps = lambda name: nbytes / median[name]
        rate = (lambda name: f"{jps(name):.0f} jobs/s") if metric == "jobs" else (
            lambda name: f"{mbps(name):.0f} MB/s")
        label = title
        for r in data:
            name = r["command"]
            spread = 100 * (r["stddev"] or 0) / r["mean"]
            noisy |= spread > NOISY
            row = {"workload": label, "contestant": name, "median": show(median[name]),
                   "±": f"{spread:.0f}%", "rate": rate(name) if nbytes else "",
                   "late": f"{median[name] * 1000 - float(deadline):+.1f} ms" if deadline else "",
                   "ratio": f"{median[name] / median[limit]:.2f}x {limit}"}
            label = ""
            goals = [t for t in targets if t[0] == wid and t[1] == name]
            if not goals:
                rows.append(row)
            # One line per goal; the contestant's own figures on the first only.
            for _, _, kind, bound, ref in goals:
                bound = float(bound)
                if kind == "ratio":
                    value = median[name] / median[ref]
                    ok = value <= bound
                    row.update(ratio=f"{value:.2f}x {ref}", target=f"<= {bound:.2f}x {ref}")
                elif kind == "ms":
                    ok = median[name] * 1000 <= bound
                    row.update(target=f"<= {bound:g} ms")
                elif kind == "mb":
                    ok = median[name] * 1024 / 1e6 <= bound
                    row.update(target=f"<= {bound:g} MB")
                elif kind == "mbdiff":
                    diff = (median[name] - median[ref]) * 1024 / 1e6
                    ok = abs(diff) <= bound
                    row.update(ratio=f"{diff:+.1f} MB {ref}",
                               target=f"within {bound:g} MB of {ref}")
                elif kind == "jps":
                    ok = jps(name) >= bound
                    row.update(target=f">= {bound:.0f} jobs/s")
                else:
                    ok = mbps(name) >= bound
                    row.update(target=f">= {bound:.0f} MB/s")
                row["result"] = "PASS" if ok else "MISS"
                # An absolute goal the limit itself misses says more about the
                # machine than about fanout: flag it.
                limit_misses = (kind == "mbps" and mbps(limit) < bound
                                or kind == "jps" and jps(limit) < bound
                                or kind == "ms" and median[limit] * 1000 > bound
                                or kind == "mb" and median[limit] * 1024 / 1e6 > bound)
                # (A workload with no limit has fanout first: no excuse then.)
                if not ok and limit_misses and limit != name:
                    row["result"] += "*"
                    machine_bound = True
                missed += not ok
                total += 1
                rows.append(row)
                row = {}

    columns = ["workload", "contestant", "median", "±", "rate", "late", "ratio", "target",
               "result"]
    columns = [c for c in columns if any(r.get(c) for r in rows)]
    right = {"median", "±", "rate", "late"}
    table = [columns] + [[r.get(c, "") for c in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]

    def text_line(cells):
        return "  ".join(cell.rjust(w) if c in right else cell.ljust(w)
                         for c, cell, w in zip(columns, cells, widths)).rstrip()

    runs = dict(env).get("runs", "?")
    verdict = f"all {total} targets met" if not missed else f"{missed} of {total} targets missed"
    notes = [f"{verdict}; medians of {runs}; ±: standard deviation / mean."]
    if "late" in columns:
        notes.append("late: median - the deadline (timeout, plus grace where the job "
                     "ignores SIGTERM).")
    if machine_bound:
        notes.append("* the limit misses this target too: this machine cannot reach it.")
    if noisy:
        notes.append(f"Some contestant varied by more than {NOISY}% between runs: the machine "
                     "was busy and its ratios are doubtful (close other work, raise BENCH_RUNS).")

    print()
    print(text_line(table[0]))
    print("  ".join("-" * w for w in widths))
    for line in table[1:]:
        print(text_line(line))
    print()
    print("\n".join(notes))
    print(f"results: {results}")

    md = ["# fanout benchmark", ""]
    md += [f"- {key}: {value}" for key, value in env]
    md += ["", "| " + " | ".join(columns) + " |",
           "|" + "|".join("---:" if c in right else "---" for c in columns) + "|"]
    md += ["| " + " | ".join(line) + " |" for line in table[1:]]
    md += [""] + notes
    md += ["", "Raw figures: `<workload>.json` (hyperfine's export, every run's time; for "
           "peak RSS every run's KiB) and `hyperfine.log`. bench/README.md says what each "
           "workload measures.", ""]
    (results / "summary.md").write_text("\n".join(md))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "round":
        round_line(*args)
    elif command == "merge":
        merge(args[0], args[1:])
    elif command == "merge-rss":
        merge_rss(args[0], args[1:])
    elif command == "report":
        report(*args)
    else:
        sys.exit(f"report.py: unknown command {command!r}")


if __name__ == "__main__":
    main()
