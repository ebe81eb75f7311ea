#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks a JUnit XML report, for fanout's end-to-end tests.

Usage: check_junit.py REPORT

Parses REPORT with lxml (a real XML 1.0 parser: a document that is not
well-formed fails), validates it against junit.xsd beside this script,
and checks that each suite's counts match its test cases. Prints one line
per suite, "tests=N failures=N errors=N skipped=N", and exits 0; or prints
what is wrong to stderr and exits 1.
"""

import os
import sys

from lxml import etree

# Each count of a suite, and the element of the test cases it counts.
COUNTS = (("failures", "failure"), ("errors", "error"), ("skipped", "skipped"))


def suites_of(root):
    return [root] if root.tag == "testsuite" else list(root.iter("testsuite"))


def check_counts(suite):
    cases = suite.findall("testcase")
    found = {"tests": len(cases)}
    for attribute, element in COUNTS:
        found[attribute] = sum(case.find(element) is not None for case in cases)
    problems = []
    for name, count in found.items():
        given = suite.get(name, "0")
        if given != str(count):
            problems.append(f"suite {suite.get('name')!r}: {name}={given}, "
                            f"but it holds {count}")
    return found, problems


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "junit.xsd")
    schema = etree.XMLSchema(etree.parse(schema_path))
    try:
        document = etree.parse(argv[1], etree.XMLParser(resolve_entities=False))
    except (OSError, etree.XMLSyntaxError) as e:
        sys.stderr.write(f"not well-formed: {e}\n")
        return 1
    if not schema.validate(document):
        for error in schema.error_log:
            sys.stderr.write(f"invalid: line {error.line}: {error.message}\n")
        return 1
    failed = False
    for suite in suites_of(document.getroot()):
        found, problems = check_counts(suite)
        for problem in problems:
            sys.stderr.write(problem + "\n")
            failed = True
        print(" ".join(f"{name}={count}" for name, count in found.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
