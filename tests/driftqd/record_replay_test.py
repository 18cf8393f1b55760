#!/usr/bin/env python3
"""A session of real HTTP clients, recorded by `driftqd --record`, replays in driftq-sim with the
same trace the live broker wrote (--trace), byte for byte: topics, produces with envelopes and
idempotency keys, two consumers in one group, acks, a stale ack, nacks, a lease running out,
a dead letter, a disconnect, and an overload.

usage: record_replay_test.py DRIFTQD SCRATCH_DIR DRIFTQ_SIM"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import call  # noqa: E402


def session(port):
    call(port, "POST", "/v1/topics?name=jobs&partitions=2")
    call(port, "POST", "/v1/topics", '{"name":"audit"}')
    a = harness.Stream(port, "/v1/consume?topic=jobs&group=workers&owner=alice&lease_ms=400")
    b = harness.Stream(port, "/v1/consume?topic=jobs&group=workers&owner=bob&lease_ms=30000")
    time.sleep(0.1)
    for i in range(6):
        call(port, "POST", f"/v1/produce?topic=jobs&key=k{i}&value=job-{i}&idem_key=id-{i}")
    call(port, "POST", "/v1/produce", '{"topic":"audit","key":"x","value":"once","envelope":{"retry_policy":{"max_attempts":1}}}')
    c = harness.Stream(port, "/v1/consume?topic=audit&group=auditors&owner=carol")
    for it in [json.loads(x) for x in c.read_lines(1, timeout=2)]:
        call(port, "POST", "/v1/nack", '{"topic":"audit","group":"auditors","owner":"carol","partition":%d,"offset":%d,"reason":"bad"}'
             % (it["partition"], it["offset"]))
    call(port, "POST", "/v1/produce?topic=nope&value=v")  # refused: recorded with its error
    got_a = [json.loads(x) for x in a.read_lines(2, timeout=2)]
    got_b = [json.loads(x) for x in b.read_lines(3, timeout=2)]
    for it in got_b:
        call(port, "POST", f"/v1/ack?topic=jobs&group=workers&owner=bob&partition={it['partition']}&offset={it['offset']}")
    # alice does not answer: her leases run out and her deliveries go round again.
    time.sleep(1.0)
    for it in got_a:
        call(port, "POST", f"/v1/ack?topic=jobs&group=workers&owner=alice&partition={it['partition']}&offset={it['offset']}")
    a.close()  # a disconnect: an unsubscribe in the recording
    time.sleep(0.3)
    for it in [json.loads(x) for x in b.read_lines(10, timeout=1.5)]:
        call(port, "POST", f"/v1/ack?topic=jobs&group=workers&owner=bob&partition={it['partition']}&offset={it['offset']}")
    b.close()
    c.close()
    time.sleep(0.3)


def main():
    binary, scratch, sim = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(scratch, exist_ok=True)
    record, live_trace, replay_trace = (os.path.join(scratch, n) for n in ("session.json", "live.ndjson", "replay.ndjson"))
    srv = harness.Driftqd(binary, os.path.join(scratch, "wal"), "--record", record, "--trace", live_trace, fresh=True)
    try:
        session(srv.port)
    finally:
        rc, out, err = srv.stop()
    failures = []
    if rc != 0:
        failures.append(f"driftqd exit {rc}: {err[-1000:]}")
    # A second start on the same WAL may not record: a recording replays from an empty broker.
    refused = subprocess.run([binary, "--addr", "127.0.0.1:0", "--wal", os.path.join(scratch, "wal"), "--record", record + ".2"],
                             capture_output=True, text=True, timeout=10)
    if refused.returncode != 1 or "--record needs an empty WAL" not in refused.stderr:
        failures.append(f"--record on a used WAL: {refused.returncode} {refused.stderr!r}")
    run = subprocess.run([sim, "run", record, "--trace", replay_trace], capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        failures.append(f"driftq-sim run: {run.returncode}\n{run.stdout}\n{run.stderr}")
    live = open(live_trace).read().splitlines()
    replay = open(replay_trace).read().splitlines() if os.path.exists(replay_trace) else []
    kinds = {json.loads(x)["kind"] for x in live}
    for k in ["topic_created", "produced", "delivered", "redelivered", "lease_expired", "acked", "nacked", "dead_lettered",
              "consumer_left", "command"]:
        if k not in kinds:
            failures.append(f"the session never produced a {k} event: the test drives too little")
    if live != replay:
        n = next((i for i, (x, y) in enumerate(zip(live, replay)) if x != y), min(len(live), len(replay)))
        failures.append(f"traces differ at event {n + 1} (live {len(live)} events, replay {len(replay)}):\n"
                        f"    live   {live[n] if n < len(live) else None}\n    replay {replay[n] if n < len(replay) else None}")
    entries = len(json.load(open(record))["timeline"])
    for f in failures:
        print("FAIL", f)
    print(f"driftqd record/replay: {entries} commands, {len(live)} events, "
          f"{'identical traces' if live == replay else 'traces differ'}; {'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
