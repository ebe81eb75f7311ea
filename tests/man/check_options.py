#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Keeps `fanout --help` and the OPTIONS section of the man page in step.

    check_options.py FANOUT MAN_PAGE              the check
    check_options.py --self-test FANOUT MAN_PAGE  the check can fail

The check fails, naming the option, when --help lists an option (long or
short) that no entry of the man page's OPTIONS documents, or the reverse,
or when the two name its argument differently (`-j N`). The self-test
removes each option's entry in turn, from the help and from the man page,
and renames an argument in the man page, and fails unless the check then
names exactly the options changed.
"""

import re
import subprocess
import sys

# A word that is an option: -q, -0, --dry-run.
OPTION = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9-]*$")
# A word that names an option's argument: N, PATH.
ARGUMENT = re.compile(r"^[A-Z][A-Z_]*$")


def help_entries(help_text):
    """Each entry under `Options:` as (its options, its argument or ""), as
    fanout prints it: two spaces, the names joined by a comma, the argument
    (`  -f,--file PATH`), then the help; the help's other lines start with
    spaces only."""
    entries = []
    lines = iter(help_text.splitlines())
    for line in lines:
        if line == "Options:":
            break
    for line in lines:
        if not line.strip():
            break
        match = re.match(r"^  (-\S+)(?: ([A-Z][A-Z_]*)(?=[:\s]|$))?", line)
        if match:
            entries.append((tuple(match.group(1).split(",")), match.group(2) or ""))
    return entries


def roff_text(line):
    """A tag line of the man page as it reads: its macro, font changes,
    quotes and escapes taken away (`.BR \\-q ", " \\-\\-quiet` is
    `-q, --quiet`)."""
    line = re.sub(r"^\.\S+\s*", "", line)
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)
    return line.replace("\\-", "-").replace("\\&", "").replace('"', "")


def man_entries(man_text):
    """Each entry of the OPTIONS section as (its options, its argument or
    ""): the words of a `.TP` tag (nested lists' tags have no options)."""
    entries = []
    in_options = False
    after_tp = False
    for line in man_text.splitlines():
        if line.startswith(".SH"):
            in_options = line.split(None, 1)[1:] == ["OPTIONS"]
        elif in_options and after_tp:
            words = re.split(r"[\s,]+", roff_text(line))
            names = tuple(w for w in words if OPTION.match(w))
            if names:
                entries.append((names, " ".join(w for w in words if ARGUMENT.match(w))))
        after_tp = line.startswith(".TP")
    return entries


def differences(help_text, man_text):
    """The options on one side only: (name, side that lacks it), sorted."""
    in_help = {name for names, _ in help_entries(help_text) for name in names}
    in_man = {name for names, _ in man_entries(man_text) for name in names}
    return sorted([(name, "man page") for name in in_help - in_man] +
                  [(name, "help") for name in in_man - in_help])


def argument_differences(help_text, man_text):
    """The options both sides have whose arguments they name differently:
    (name, its argument in the help, in the man page), sorted."""
    in_help = {name: argument for names, argument in help_entries(help_text) for name in names}
    in_man = {name: argument for names, argument in man_entries(man_text) for name in names}
    return sorted((name, in_help[name], in_man[name]) for name in in_help.keys() & in_man.keys()
                  if in_help[name] != in_man[name])


def problems(help_text, man_text):
    """One line per difference between the two; none when they match."""
    lines = []
    for name, lacking in differences(help_text, man_text):
        if lacking == "man page":
            lines.append(f"fanout --help lists {name}, "
                         "which the man page's OPTIONS does not document")
        else:
            lines.append(f"the man page's OPTIONS documents {name}, "
                         "which fanout --help does not list")
    for name, in_help, in_man in argument_differences(help_text, man_text):
        lines.append(f"{name} takes {in_help or 'no argument'} in fanout --help, "
                     f"{in_man or 'no argument'} in the man page's OPTIONS")
    return lines


def without_help_entry(help_text, names):
    """The help without the line that introduces the options `names`."""
    first = "  " + ",".join(names)
    return "\n".join(line for line in help_text.splitlines()
                     if not re.match(re.escape(first) + r"(\s|$)", line))


def with_man_tag(man_text, names, edit):
    """The man page with `edit` applied to the tag of the options `names`."""
    lines = man_text.splitlines()
    for i in range(1, len(lines)):
        if lines[i - 1].startswith(".TP") and names[-1] in roff_text(lines[i]).split():
            lines[i] = edit(lines[i])
    return "\n".join(lines)


def self_test(help_text, man_text):
    """Failures of the check to name the options changed on one side, which
    needs the two to match first."""
    if problems(help_text, man_text):
        return ["the help and the man page differ already: run the check itself"]
    failures = []

    def expect(what, changed_help, changed_man, expected):
        if (differences(changed_help, changed_man) + argument_differences(changed_help, changed_man)
                != expected):
            said = "; ".join(problems(changed_help, changed_man)) or "nothing"
            failures.append(f"{what}, the check says: {said}")

    for side, entries in (("help", help_entries(help_text)), ("man page", man_entries(man_text))):
        if not entries:
            failures.append(f"no option found in the {side}")
        for names, argument in entries:
            expected = sorted((name, side) for name in names)
            what = f"without {', '.join(names)} in the {side}"
            if side == "help":
                expect(what, without_help_entry(help_text, names), man_text, expected)
            else:
                expect(what, help_text, with_man_tag(man_text, names, lambda _: ".B"), expected)
            if side == "man page" and argument:
                expect(f"with {names[-1]} OTHER in the man page", help_text,
                       with_man_tag(man_text, names, lambda tag: tag.replace(argument, "OTHER")),
                       sorted((name, argument, "OTHER") for name in names))
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
    found = self_test(help_text, man_text) if self_testing else problems(help_text, man_text)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
