#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Keeps `fanout --help` and the OPTIONS section of the man page in step.

    check_options.py FANOUT MAN_PAGE              the check
    check_options.py --self-test FANOUT MAN_PAGE  the check can fail

The check fails, naming the option, when --help lists an option (long or
short) that no entry of the man page's OPTIONS documents, or the reverse.
The self-test removes each option's entry in turn, from the help and from
the man page, and fails unless the check then names exactly that entry's
options.
"""

import re
import subprocess
import sys

# A word that is an option: -q, -0, --dry-run.
OPTION = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9-]*$")


def help_entries(help_text):
    """The options of each entry under `Options:`, as CLI11 prints them:
    two spaces, then the names joined by commas (`  -f,--file PATH  ...`)."""
    entries = []
    lines = iter(help_text.splitlines())
    for line in lines:
        if line == "Options:":
            break
    for line in lines:
        if not line.strip():
            break
        match = re.match(r"^  (-\S+)", line)
        if match:
            entries.append(tuple(match.group(1).split(",")))
    return entries


def roff_text(line):
    """A tag line of the man page as it reads: its macro, font changes,
    quotes and escapes taken away (`.BR \\-q ", " \\-\\-quiet` is
    `-q, --quiet`)."""
    line = re.sub(r"^\.\S+\s*", "", line)
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)
    return line.replace("\\-", "-").replace("\\&", "").replace('"', "")


def man_entries(man_text):
    """The options of each entry of the OPTIONS section: the words of a
    `.TP` tag that are options (nested lists' tags have none)."""
    entries = []
    in_options = False
    after_tp = False
    for line in man_text.splitlines():
        if line.startswith(".SH"):
            in_options = line.split(None, 1)[1:] == ["OPTIONS"]
        elif in_options and after_tp:
            names = tuple(w for w in re.split(r"[\s,]+", roff_text(line)) if OPTION.match(w))
            if names:
                entries.append(names)
        after_tp = line.startswith(".TP")
    return entries


def differences(help_text, man_text):
    """The options on one side only: (name, side that lacks it), sorted."""
    in_help = {name for entry in help_entries(help_text) for name in entry}
    in_man = {name for entry in man_entries(man_text) for name in entry}
    return sorted([(name, "man page") for name in in_help - in_man] +
                  [(name, "help") for name in in_man - in_help])


def describe(difference):
    """A difference as the line that reports it."""
    name, lacking = difference
    if lacking == "man page":
        return f"fanout --help lists {name}, which the man page's OPTIONS does not document"
    return f"the man page's OPTIONS documents {name}, which fanout --help does not list"


def without_help_entry(help_text, entry):
    """The help without the line that introduces `entry`."""
    first = "  " + ",".join(entry)
    return "\n".join(line for line in help_text.splitlines()
                     if not re.match(re.escape(first) + r"(\s|$)", line))


def without_man_tag(man_text, entry):
    """The man page with the tag naming `entry` emptied, its text kept."""
    lines = man_text.splitlines()
    for i in range(1, len(lines)):
        if lines[i - 1].startswith(".TP") and entry[-1] in roff_text(lines[i]).split():
            lines[i] = ".B"
    return "\n".join(lines)


def self_test(help_text, man_text):
    """Failures of the check to name the options taken away from one side."""
    failures = []
    for side, entries in (("help", help_entries(help_text)), ("man page", man_entries(man_text))):
        if not entries:
            failures.append(f"no option found in the {side}")
        for entry in entries:
            if side == "help":
                found = differences(without_help_entry(help_text, entry), man_text)
            else:
                found = differences(help_text, without_man_tag(man_text, entry))
            if found != sorted((name, side) for name in entry):
                said = "; ".join(map(describe, found)) or "nothing"
                failures.append(f"without {', '.join(entry)} in the {side}, the check says: {said}")
    return failures


def main(args):
    self_testing = args[:1] == ["--self-test"]
    if self_testing:
        args = args[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    fanout, man_page = args
    help_text = subprocess.run([fanout, "--help"], check=True, capture_output=True,
                               text=True).stdout
    with open(man_page, encoding="utf-8") as page:
        man_text = page.read()
    if self_testing:
        problems = self_test(help_text, man_text)
    else:
        problems = [describe(difference) for difference in differences(help_text, man_text)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
