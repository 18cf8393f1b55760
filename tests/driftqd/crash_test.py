#!/usr/bin/env python3
"""SIGKILL under produce and ack load, again and again on one WAL: after every restart each
produce that was answered 200 is there, and no delivery that was acked with 204 comes back to
its group (durability `always`: an answer means the WAL record is synced).

usage: crash_test.py DRIFTQD SCRATCH_DIR"""
import http.client
import json
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

KILLS = int(os.environ.get("KILLS", "10"))
PRODUCERS = 6
PARTITIONS = 4


def producer(port, tag, answered, stop):
    """Produces until the server dies; keeps the values answered 200."""
    n = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while not stop.is_set():
        value = f"{tag}-{n}"
        try:
            conn.request("POST", f"/v1/produce?topic=t&key={value}&value={value}")
            r = conn.getresponse()
            r.read()
            if r.status == 200:
                answered.append(value)
        except (OSError, http.client.HTTPException):
            return
        n += 1


def acker(port, acked, stop):
    """Consumes group g and acks; keeps (partition, offset) of every ack answered 204."""
    try:
        s = harness.Stream(port, "/v1/consume?topic=t&group=g&owner=w&lease_ms=60000")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        while not stop.is_set():
            for line in s.read_lines(64, timeout=0.2, idle=0.02):
                it = json.loads(line)
                conn.request("POST", f"/v1/ack?topic=t&group=g&owner=w&partition={it['partition']}&offset={it['offset']}")
                r = conn.getresponse()
                r.read()
                if r.status == 204:
                    acked.append((it["partition"], it["offset"]))
            if s.closed:
                return
    except (OSError, http.client.HTTPException):
        return


def read_all(port, group, expect_at_least, timeout=30):
    """Every message of topic t, as a new group sees it (no in-flight cap: all at once)."""
    values = set()
    s = harness.Stream(port, f"/v1/consume?topic=t&group={group}&owner=v&lease_ms=60000")
    deadline = time.time() + timeout
    while time.time() < deadline:
        lines = s.read_lines(100000, timeout=1.0, idle=0.2)
        values.update(json.loads(line)["value"] for line in lines)
        if not lines and len(values) >= expect_at_least:
            break
    s.close()
    return values


def redelivered_to_g(port):
    """What group g is given after a restart (within a short wait), without acking it."""
    s = harness.Stream(port, "/v1/consume?topic=t&group=g&owner=check&lease_ms=60000")
    got = [json.loads(x) for x in s.read_lines(1000, timeout=0.7, idle=0.2)]
    s.close()
    return {(it["partition"], it["offset"]) for it in got}


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    wal = os.path.join(scratch, "wal")
    rng = random.Random(7)
    failures = []
    produced, acked = [], []
    # No backpressure caps: producers never wait on the slow group (every answer is a 200); no
    # in-flight cap: a new group is given every message at once, so checking needs no acks.
    flags = ("--max-partition-messages", "0", "--max-partition-bytes", "0", "--max-in-flight", "0",
             "--stream-buffer-lines", "1000000", *os.environ.get("DRIFTQD_EXTRA", "").split())
    srv = harness.Driftqd(binary, wal, *flags, fresh=True)
    for kill in range(KILLS):
        harness.call(srv.port, "POST", f"/v1/topics?name=t&partitions={PARTITIONS}")
        stop = threading.Event()
        answered, acks = [], []
        threads = [threading.Thread(target=producer, args=(srv.port, f"k{kill}p{i}", answered, stop)) for i in range(PRODUCERS)]
        threads.append(threading.Thread(target=acker, args=(srv.port, acks, stop)))
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.15, 0.6))
        srv.proc.send_signal(signal.SIGKILL)  # mid-load: requests in every stage
        srv.proc.wait()
        stop.set()
        for t in threads:
            t.join()
        produced += answered
        acked += acks
        srv = harness.Driftqd(binary, wal, *flags)
        harness.call(srv.port, "POST", f"/v1/topics?name=t&partitions={PARTITIONS}")
        # Acked deliveries stay acked: group g is not given any of them again.
        again = redelivered_to_g(srv.port) & set(acked)
        if again:
            failures.append(f"kill {kill}: acked deliveries came back to group g: {sorted(again)[:5]}")
        present = read_all(srv.port, f"verify{kill}", len(produced))
        lost = [v for v in produced if v not in present]
        if lost:
            failures.append(f"kill {kill}: {len(lost)} answered produces lost, e.g. {lost[:5]}")
        print(f"kill {kill}: {len(answered)} produces and {len(acks)} acks answered before SIGKILL; "
              f"after restart {len(present)} messages, none lost: {not lost}")
    srv.stop()
    if len(acked) == 0 or len(produced) < KILLS * 20:
        failures.append(f"too little load to mean anything: {len(produced)} produces, {len(acked)} acks")
    for f in failures:
        print("FAIL", f)
    print(f"driftqd crash test: {KILLS} kills, {len(produced)} answered produces, {len(acked)} answered acks; "
          f"{'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
