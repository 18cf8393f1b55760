#!/usr/bin/env python3
"""Runs every `console` example in docs/http-api.md against a fresh driftqd, in order, and
compares what each command prints with what the page shows (the Date header and generated
request ids masked, line ends normalised, trailing blank lines ignored).

usage: docs_examples_test.py DRIFTQD SCRATCH_DIR"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "http-api.md")
BASE = "http://127.0.0.1:8080"


def examples(text):
    """(command, expected output) pairs of the console blocks, in order."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, expected = part.partition("\n")
            out.append((command, expected))
    return out


def normal(s):
    s = s.replace("\r\n", "\n")
    s = re.sub(r"^Date: .*$", "Date: *", s, flags=re.M)
    s = re.sub(r"^X-Request-Id: [0-9a-f]{24}$", "X-Request-Id: *", s, flags=re.M)
    return s.rstrip("\n")


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    cases = examples(open(DOC).read())
    srv = harness.Driftqd(binary, os.path.join(scratch, "wal"), fresh=True)
    failures = []
    try:
        for command, expected in cases:
            run = command.replace(BASE, f"http://127.0.0.1:{srv.port}")
            got = subprocess.run(["bash", "-c", run], capture_output=True, text=True, timeout=30).stdout
            if normal(got) != normal(expected):
                failures.append(f"$ {command}\n    want {normal(expected)!r}\n    got  {normal(got)!r}")
    finally:
        srv.stop()
    for f in failures:
        print("FAIL", f)
    print(f"docs/http-api.md examples: {len(cases)} commands, {len(failures)} failed")
    return 1 if failures or len(cases) < 15 else 0


if __name__ == "__main__":
    sys.exit(main())
