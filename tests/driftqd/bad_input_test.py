#!/usr/bin/env python3
"""driftqd's bad-input corpus (bad_input_corpus.json, written by make_corpus.py): each malformed
request gets exactly its documented answer, and after each one the server is still up and
answers a health check. Runs with a short read timeout so that slow and cut requests end fast.

usage: bad_input_test.py DRIFTQD SCRATCH_DIR"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    corpus = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad_input_corpus.json")))["cases"]
    server = harness.Driftqd(binary, os.path.join(scratch, "wal"), "--read-timeout-ms", "400", fresh=True)
    failures = []
    try:
        status, _, _ = harness.call(server.port, "POST", "/v1/topics?name=t&partitions=2")
        assert status == 201, status
        for c in corpus:
            if "raw" in c:
                data = harness.exchange(server.port, c["raw"].encode("latin-1"))
                if c["status"] == 0:
                    ok = data == b""
                    got = repr(data[:200])
                else:
                    ok = data == c["answer"].encode()
                    got = repr(data[:300])
            else:
                data = harness.exchange(server.port, harness.request(c["method"], c["target"], c.get("body"), c.get("headers")))
                status, _, body = harness.split_answer(data, c["method"] == "HEAD")
                ok = status == c["status"] and body == c["answer"].encode()
                got = f"{status} {body[:300]!r}"
            if not ok:
                failures.append(f"{c['name']}:\n    want {c['status']} {c.get('answer', '')[:300]!r}\n    got  {got}")
            health, _, _ = harness.call(server.port, "GET", "/v1/healthz")
            if health != 200 or not server.alive():
                failures.append(f"{c['name']}: the server stopped answering ({health})")
                break
    finally:
        rc, out, err = server.stop()
    if rc != 0:
        failures.append(f"exit status {rc}: {err[-2000:]}")
    for f in failures:
        print("FAIL", f)
    print(f"driftqd bad-input corpus: {len(corpus)} cases, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
