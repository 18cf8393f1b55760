#!/usr/bin/env python3
"""Bounded load on loopback: eight streaming consumers of one group read and ack while producers
write; then the same again with one more consumer, in another group, that never reads. The
eight keep their throughput, the stuck one is disconnected by the stream-buffer rule, and the
server answers health checks quickly throughout.

usage: load_test.py DRIFTQD SCRATCH_DIR"""
import http.client
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MESSAGES = 1500
VALUE = "x" * 4096
CONSUMERS = 8


def produce(port, count, tag):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for i in range(count):
        conn.request("POST", "/v1/produce", json.dumps({"topic": "load", "key": f"{tag}-{i}", "value": VALUE}))
        r = conn.getresponse()
        r.read()
        assert r.status == 200, r.status


def consume(port, name, seen, stop):
    s = harness.Stream(port, f"/v1/consume?topic=load&group=workers&owner={name}&lease_ms=30000")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while not stop.is_set():
        for line in s.read_lines(256, timeout=0.2, idle=0.01):
            it = json.loads(line)
            conn.request("POST", f"/v1/ack?topic=load&group=workers&owner={name}&partition={it['partition']}&offset={it['offset']}")
            r = conn.getresponse()
            r.read()
            if r.status == 204:
                seen.add(it["key"])
    s.close()


def phase(port, tag, health):
    seen, stop = set(), threading.Event()
    consumers = [threading.Thread(target=consume, args=(port, f"{tag}-c{i}", seen, stop)) for i in range(CONSUMERS)]
    for t in consumers:
        t.start()
    time.sleep(0.2)
    start = time.time()
    producers = [threading.Thread(target=produce, args=(port, MESSAGES // 4, f"{tag}{i}")) for i in range(4)]
    for t in producers:
        t.start()
    deadline = start + 60
    while len(seen) < MESSAGES and time.time() < deadline:
        t0 = time.time()
        harness.call(port, "GET", "/v1/healthz")
        health.append(time.time() - t0)
        time.sleep(0.05)
    took = time.time() - start
    stop.set()
    for t in producers + consumers:
        t.join()
    return len(seen), took


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    srv = harness.Driftqd(binary, os.path.join(scratch, "wal"), "--max-partition-messages", "0", "--max-partition-bytes", "0",
                          "--max-in-flight", "0", "--stream-buffer-lines", "1000", "--stream-buffer-bytes", "2097152",
                          *os.environ.get("DRIFTQD_EXTRA", "").split(), fresh=True)
    failures = []
    try:
        harness.call(srv.port, "POST", "/v1/topics?name=load&partitions=8")
        health1, health2 = [], []
        got1, t1 = phase(srv.port, "a", health1)
        # A consumer that never reads, with a tiny receive window: its lines pile up in driftqd.
        stuck = socket.socket()
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect(("127.0.0.1", srv.port))
        stuck.sendall(harness.request("GET", "/v1/consume?topic=load&group=stuck&owner=s", close=False))
        time.sleep(0.2)
        got2, t2 = phase(srv.port, "b", health2)
        metrics = harness.call(srv.port, "GET", "/metrics")[2]
        stuck.close()
        # A consumer that stops reading while messages trickle in (no burst): its socket fills,
        # then its stream buffer, and the rule still disconnects it.
        harness.call(srv.port, "POST", "/v1/topics?name=trickle")
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect(("127.0.0.1", srv.port))
        slow.sendall(harness.request("GET", "/v1/consume?topic=trickle&group=slow&owner=s", close=False))
        time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        trickled = 0
        while trickled < 3000 and "driftqd_consume_streams_overflowed_total 2\n" not in harness.call(srv.port, "GET", "/metrics")[2]:
            for _ in range(20):
                conn.request("POST", "/v1/produce", json.dumps({"topic": "trickle", "value": VALUE}))
                conn.getresponse().read()
                trickled += 1
            time.sleep(0.01)
        trickle_metrics = harness.call(srv.port, "GET", "/metrics")[2]
        slow.close()
    finally:
        rc, _, err = srv.stop()
    rate1, rate2 = got1 / t1, got2 / t2
    print(f"without the stuck consumer: {got1} messages in {t1:.2f} s ({rate1:.0f}/s); "
          f"with it: {got2} in {t2:.2f} s ({rate2:.0f}/s)")
    print(f"health check p99: {sorted(health1)[int(len(health1) * 0.99)] * 1000:.1f} ms, then "
          f"{sorted(health2)[int(len(health2) * 0.99)] * 1000:.1f} ms")
    if got1 < MESSAGES or got2 < MESSAGES:
        failures.append(f"not everything was consumed: {got1}, {got2} of {MESSAGES}")
    if rate2 < 0.5 * rate1:
        failures.append(f"the stuck consumer halved the others' throughput: {rate1:.0f}/s -> {rate2:.0f}/s")
    if "driftqd_consume_streams_overflowed_total 1\n" not in metrics:
        failures.append("the stuck consumer was not disconnected: " +
                        [x for x in metrics.splitlines() if "overflowed_total " in x][0])
    if "driftqd_consume_streams_overflowed_total 2\n" not in trickle_metrics:
        failures.append(f"a consumer that stopped reading under a trickle was not disconnected after {trickled} messages")
    else:
        print(f"the trickle's stalled consumer was disconnected after {trickled} messages")
    if max(health2) > 1.0:
        failures.append(f"a health check took {max(health2):.2f} s under load")
    if rc != 0:
        failures.append(f"exit status {rc}: {err[-500:]}")
    for f in failures:
        print("FAIL", f)
    print(f"driftqd load test: {'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
