#!/usr/bin/env python3
"""driftqd against other origins (issue 20, item 3): a request that names the broker by a name
that is not its own (DNS rebinding) gets 421; a request from a page of another origin that would
act (a post, a consume) gets 403 and changes nothing; reads, same-origin pages and clients
without an Origin (curl, the SDKs) are unaffected. --allow-host and --allow-origin let named ones
through, allowed origins get CORS headers and their preflights answered; '*' turns a check off
(the case that shows the refusals are the guard's doing).

usage: origins_test.py DRIFTQD SCRATCH_DIR [DRIFTQ_SIM]"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

failures = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(what)


def commands(port):
    """driftqd_commands_total: what the broker thread has applied."""
    _, _, body = harness.call(port, "GET", "/metrics")
    return int(re.search(r"^driftqd_commands_total (\d+)$", body, re.M).group(1))


def topics(port):
    return harness.call(port, "GET", "/v1/topics")[2]


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    os.makedirs(scratch, exist_ok=True)
    d = harness.Driftqd(binary, os.path.join(scratch, "wal"), fresh=True)
    own = f"127.0.0.1:{d.port}"
    try:
        harness.call(d.port, "POST", "/v1/topics?name=t&partitions=1")
        before = commands(d.port)

        # A rebound name: the page's own server name, now resolving to 127.0.0.1.
        for method, target in [("GET", "/v1/topics"), ("POST", "/v1/topics?name=rebound"), ("GET", "/metrics")]:
            status, _, body = harness.call(d.port, method, target, headers={"Host": f"evil.example:{d.port}"})
            check(status == 421 and "MISDIRECTED_REQUEST" in body and "--allow-host evil.example" in body,
                  f"{method} {target} by the name evil.example is refused with 421, naming the flag", (status, body))
        status, _, body = harness.call(d.port, "GET", "/v1/topics", headers={"Host": "x" * 5000})
        check(status == 421 and len(body) < 600, "a 5,000-byte Host name is refused and not echoed whole", (status, len(body)))
        for host in [own, f"localhost:{d.port}", f"LOCALHOST:{d.port}", f"[::1]:{d.port}", "app.localhost", "10.1.2.3"]:
            status, _, _ = harness.call(d.port, "GET", "/v1/healthz", headers={"Host": host})
            check(status == 200, f"Host {host} is served", status)

        # Pages of other origins may not act.
        for origin in ["http://evil.example", "null", f"http://localhost:{d.port + 1}", f"https://127.0.0.1:{d.port}"]:
            status, h, body = harness.call(d.port, "POST", "/v1/topics?name=forged", headers={"Origin": origin})
            check(status == 403 and "FORBIDDEN" in body and f"--allow-origin {origin}" in body and "Access-Control-Allow-Origin" not in h,
                  f"a POST from a page on {origin} is refused with 403, naming the flag", (status, body))
        status, _, body = harness.call(d.port, "POST", "/v1/produce", '{"topic":"t","value":"x"}',
                                       {"Origin": "http://evil.example", "Content-Type": "text/plain"})
        check(status == 403, "a text/plain JSON produce from another origin is refused", (status, body))
        status, _, body = harness.call(d.port, "GET", "/v1/consume?topic=t&group=evil", headers={"Origin": "http://evil.example"})
        check(status == 403, "a consume from another origin is refused before it opens", (status, body))
        status, _, body = harness.call(d.port, "GET", "/v1/consume?topic=t&group=img", headers={"Sec-Fetch-Site": "cross-site"})
        check(status == 403 and "Sec-Fetch-Site: cross-site" in body, "a consume from an <img> on another site (no Origin) is refused",
              (status, body))
        check(commands(d.port) == before and "forged" not in topics(d.port), "none of them reached the broker",
              (before, commands(d.port), topics(d.port)))
        status, _, body = harness.call(d.port, "GET", "/v1/topics", headers={"Origin": "http://evil.example"})
        check(status == 200 and '"t"' in body, "a read from another origin is answered (the browser keeps it from the page)", (status, body))

        # This broker's own pages and clients without an Origin act as before.
        status, _, body = harness.call(d.port, "POST", "/v1/topics?name=same", headers={"Origin": f"http://{own}", "Host": own})
        check(status == 201, "a POST from a page this broker served (same origin) is answered", (status, body))
        status, _, body = harness.call(d.port, "POST", "/v1/produce?topic=t&value=v", headers={"Sec-Fetch-Site": "same-origin"})
        check(status == 200, "a produce marked same-origin is answered", (status, body))
        status, _, body = harness.call(d.port, "POST", "/v1/topics?name=curl")
        check(status == 201, "a POST with no Origin (curl, the SDKs) is answered", (status, body))
    finally:
        d.stop()

    # Named hosts and origins.
    d = harness.Driftqd(binary, os.path.join(scratch, "wal-allowed"), "--allow-host", "Box.LAN", "--allow-origin",
                        "http://localhost:3000", fresh=True)
    try:
        status, _, _ = harness.call(d.port, "GET", "/v1/healthz", headers={"Host": "box.lan:8080"})
        check(status == 200, "--allow-host box.lan serves that name (case aside)", status)
        status, h, body = harness.call(d.port, "POST", "/v1/topics?name=dev", headers={"Origin": "http://localhost:3000"})
        check(status == 201 and h.get("Access-Control-Allow-Origin") == "http://localhost:3000" and h.get("Vary") == "Origin",
              "--allow-origin: its page may act, and the answer carries CORS headers", (status, h, body))
        status, h, _ = harness.call(d.port, "OPTIONS", "/v1/produce", headers={"Origin": "http://localhost:3000",
                                                                               "Access-Control-Request-Method": "POST"})
        check(status == 204 and "POST" in h.get("Access-Control-Allow-Methods", "") and
              "Content-Type" in h.get("Access-Control-Allow-Headers", ""), "its CORS preflight is answered", (status, h))
        status, h, _ = harness.call(d.port, "OPTIONS", "/v1/produce", headers={"Origin": "http://evil.example"})
        check(status == 405 and "Access-Control-Allow-Origin" not in h, "another origin's preflight gets upstream's 405", (status, h))
        status, _, _ = harness.call(d.port, "POST", "/v1/topics?name=x", headers={"Origin": "http://localhost:3001"})
        check(status == 403, "an origin not named is still refused", status)
    finally:
        d.stop()

    # Both checks off: the same requests act, so the refusals above are the guard's.
    d = harness.Driftqd(binary, os.path.join(scratch, "wal-open"), "--allow-host", "*", "--allow-origin", "*", fresh=True)
    try:
        status, _, _ = harness.call(d.port, "POST", "/v1/topics?name=rebound", headers={"Host": "evil.example"})
        check(status == 201, "with --allow-host '*' a rebound name is served", status)
        status, _, _ = harness.call(d.port, "POST", "/v1/topics?name=forged", headers={"Origin": "http://evil.example"})
        check(status == 201 and "forged" in topics(d.port), "with --allow-origin '*' another origin's POST acts", status)
    finally:
        d.stop()

    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failed")
    sys.exit(1 if failures else 0)


main()
