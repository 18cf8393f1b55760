#!/usr/bin/env python3
"""driftqd against every row of the reference's section 2, over real sockets: exact status lines,
headers and bodies (the Date value and generated request ids masked), consume streams read chunk
by chunk with timeouts, leases running out, nack, the dead-letter topic, overload, /metrics, the
seed's unversioned routes, keep-alive, and a restart on the same WAL.

usage: conformance_test.py DRIFTQD SCRATCH_DIR"""
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import call, exchange, masked, request  # noqa: E402

failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(f"{name}: {detail}")


def same(name, got, want):
    check(name, got == want, f"\n    want {want!r}\n    got  {got!r}")


def answer(status, body, extra=b"", request_id=b"<generated>", ctype=b"application/json; charset=utf-8"):
    """The bytes of a whole answer as Go writes it, with Connection: close: the handler's headers
    sorted by name, then Date and Content-Length."""
    headers = [h + b"\r\n" for h in extra.split(b"\r\n") if h]
    if ctype:
        headers.append(b"Content-Type: " + ctype + b"\r\n")
    headers.append(b"X-Request-Id: " + request_id + b"\r\n")
    head = b"HTTP/1.1 " + status + b"\r\n" + b"".join(sorted(headers, key=lambda h: h.split(b":")[0])) + b"Date: *\r\n"
    if not status.startswith(b"204"):
        head += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    return head + b"Connection: close\r\n\r\n" + body


def raw(port, method, target, body=None, headers=None):
    return masked(exchange(port, request(method, target, body, headers)))


def item(line):
    return json.loads(line)


def basics(port):
    same("healthz, request id echoed trimmed", raw(port, "GET", "/v1/healthz", headers={"X-Request-Id": "  req-1 "}),
         answer(b"200 OK", b'{"status":"ok"}\n', request_id=b"req-1"))
    same("healthz, request id generated", raw(port, "GET", "/v1/healthz"), answer(b"200 OK", b'{"status":"ok"}\n'))
    same("version", raw(port, "GET", "/v1/version"),
         answer(b"200 OK", b'{"version":"dev","commit":"unknown","wal_enabled":true}\n'))
    same("topics, none", raw(port, "GET", "/v1/topics"), answer(b"200 OK", b'{"topics":[]}\n'))
    same("create, query form", raw(port, "POST", "/v1/topics?name=orders&partitions=2"),
         answer(b"201 Created", b'{"status":"created","name":"orders","partitions":2}\n'))
    same("create, JSON form", raw(port, "POST", "/v1/topics", '{"name":" audit ","partitions":1}'),
         answer(b"201 Created", b'{"status":"created","name":"audit","partitions":1}\n'))
    same("create again echoes the requested count", raw(port, "POST", "/v1/topics?name=orders&partitions=7"),
         answer(b"201 Created", b'{"status":"created","name":"orders","partitions":7}\n'))
    same("topics sorted", raw(port, "GET", "/v1/topics"), answer(b"200 OK", b'{"topics":["audit","orders"]}\n'))
    same("405 with Allow", raw(port, "PATCH", "/v1/topics"),
         answer(b"405 Method Not Allowed", b'{"error":"METHOD_NOT_ALLOWED","message":"method not allowed"}\n',
                extra=b"Allow: GET, POST\r\n"))
    same("JSON 404 outside /v1", raw(port, "GET", "/nowhere"),
         answer(b"404 Not Found", b'{"error":"NOT_FOUND","message":"use /v1/* endpoints"}\n'))
    same("text 404 inside /v1", raw(port, "GET", "/v1/nowhere"),
         answer(b"404 Not Found", b"404 page not found\n", extra=b"", ctype=b"text/plain; charset=utf-8").replace(
             b"X-Request-Id", b"X-Content-Type-Options: nosniff\r\nX-Request-Id"))
    same("301 for /v1", raw(port, "GET", "/v1?a=1"),
         answer(b"301 Moved Permanently", b'<a href="/v1/?a=1">Moved Permanently</a>.\n\n', extra=b"Location: /v1/?a=1\r\n",
                ctype=b"text/html; charset=utf-8"))


def produce_and_consume(port):
    same("produce, query form", raw(port, "POST", "/v1/produce?topic=orders&key=k1&value=hello"),
         answer(b"200 OK", b'{"status":"produced","topic":"orders"}\n'))
    # An empty topic's stream sends nothing at all, not even its status line (upstream's Go).
    quiet = harness.Stream(port, "/v1/consume?topic=audit&group=g&owner=a")
    check("no head before the first message", quiet.read_head(timeout=0.5) is None, quiet.buf)
    quiet.close()

    s = harness.Stream(port, "/v1/consume?topic=orders&group=g&owner=alice&lease_ms=600", read_buffer=None)
    head = s.read_head()
    same("stream head", masked((head or b"") + b"\r\n\r\n"),
         b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson; charset=utf-8\r\nX-Request-Id: <generated>\r\n"
         b"Date: *\r\nTransfer-Encoding: chunked\r\n\r\n")
    lines = s.read_lines(1)
    check("first delivery", len(lines) == 1, lines)
    if not lines:
        return s
    first = item(lines[0])
    p, o = first["partition"], first["offset"]
    same("item bytes", lines[0],
         '{"partition":%d,"offset":%d,"attempts":1,"key":"k1","value":"hello","last_error":"",'
         '"routing":{"label":"test-label","meta":{"source":"router"}}}\n' % (p, o))
    # Not acked within its 600 ms lease: redelivered (to alice again, her stream is the only one).
    again = s.read_lines(1, timeout=3)
    check("redelivered after the lease", again and item(again[0])["attempts"] == 2 and item(again[0])["last_error"] == "ack_timeout", again)
    same("ack by someone else: 409", raw(port, "POST", f"/v1/ack?topic=orders&group=g&owner=bob&partition={p}&offset={o}"),
         answer(b"409 Conflict", b'{"error":"FAILED_PRECONDITION","message":"not owner"}\n'))
    same("ack: 204", raw(port, "POST", f"/v1/ack?topic=orders&group=g&owner=alice&partition={p}&offset={o}"),
         answer(b"204 No Content", b"", ctype=None))
    same("second ack: not in flight", raw(port, "POST", f"/v1/ack?topic=orders&group=g&owner=alice&partition={p}&offset={o}"),
         answer(b"400 Bad Request", b'{"error":"INVALID_ARGUMENT","message":"message is not in-flight"}\n'))
    # From here on a long lease, so that nothing is redelivered behind the test's back.
    s.close()
    s = harness.Stream(port, "/v1/consume?topic=orders&group=g&owner=alice&lease_ms=60000")

    # JSON produce with every envelope field; the consumer sees them (deadline in UTC).
    body = ('{"topic":"orders","key":"k2","value":"<v2>","envelope":{"run_id":"r","step_id":"s","parent_step_id":"ps",'
            '"tenant_id":"tn","idempotency_key":"ik-2","deadline":"2099-12-21T13:00:00.250+01:00",'
            '"retry_policy":{"max_attempts":3,"backoff_ms":10},"partition_override":1}}')
    same("produce, JSON form", raw(port, "POST", "/v1/produce", body), answer(b"200 OK", b'{"status":"produced","topic":"orders"}\n'))
    got = s.read_lines(1)
    same("envelope on the stream", got and got[0],
         '{"partition":1,"offset":%d,"attempts":1,"key":"k2","value":"\\u003cv2\\u003e","last_error":"",'
         '"routing":{"label":"test-label","meta":{"source":"router"}},"envelope":{"run_id":"r","step_id":"s",'
         '"parent_step_id":"ps","tenant_id":"tn","idempotency_key":"ik-2","deadline":"2099-12-21T12:00:00.25Z",'
         '"retry_policy":{"max_attempts":3,"backoff_ms":10},"partition_override":1}}\n' % (o + 1))
    if got:
        same("ack, JSON form", raw(port, "POST", "/v1/ack", '{"topic":"orders","group":"g","owner":"alice","partition":1,"offset":%d}' % (o + 1)),
             answer(b"204 No Content", b"", ctype=None))
    # Query aliases and which parameter wins. (At most 2 deliveries per partition are in flight:
    # each is answered before the next produce.)
    def next_item(target):
        raw(port, "POST", target)
        got = s.read_lines(1)
        return item(got[0]) if got else {}

    def ack(it):
        raw(port, "POST", f"/v1/ack?topic=orders&group=g&owner=alice&partition={it.get('partition')}&offset={it.get('offset')}")

    it = next_item("/v1/produce?topic=orders&value=v3&tenant=alias&tenant_id=wins&idem_key=ik-3"
                   "&deadline_ms=4102444800000&deadline_rfc3339=2098-01-01T00:00:00Z&retry_max_attempts=0")
    same("tenant_id beats tenant, deadline_rfc3339 beats deadline_ms, zero retry leaves no policy", it.get("envelope"),
         {"tenant_id": "wins", "idempotency_key": "ik-3", "deadline": "2098-01-01T00:00:00Z"})
    # nack: redelivered at once with its reason; the documented `error` parameter is ignored.
    same("nack: 204", raw(port, "POST", f"/v1/nack?topic=orders&group=g&owner=alice&partition={it.get('partition')}"
                                       f"&offset={it.get('offset')}&reason=%20boom%20&error=ignored"),
         answer(b"204 No Content", b"", ctype=None))
    redone = s.read_lines(1)
    check("a nacked message comes back with its reason", redone and item(redone[0])["last_error"] == "boom"
          and item(redone[0])["attempts"] == 2, redone)
    ack(it)
    it = next_item("/v1/produce?topic=orders&value=v4&tenant=alias&idempotency_key=&deadline_ms=4102444800000")
    same("tenant alias, deadline_ms", it.get("envelope"), {"tenant_id": "alias", "deadline": "2100-01-01T00:00:00Z"})
    raw(port, "POST", "/v1/nack", '{"topic":"orders","group":"g","owner":"alice","partition":%d,"offset":%d}' % (it.get("partition"), it.get("offset")))
    redone = s.read_lines(1)
    check("nack without a reason: \"nack\"", redone and item(redone[0])["last_error"] == "nack", redone)
    ack(it)
    it = next_item("/v1/produce?topic=orders&value=v5&retry_max_attempts=0")
    same("an empty envelope when only a zero retry parameter was given", it.get("envelope"), {})
    ack(it)
    return s


def dead_letters(port, s):
    raw(port, "POST", "/v1/produce?topic=orders&key=d&value=doomed&retry_max_attempts=1")
    got = s.read_lines(1)
    if not got:
        check("dlq delivery", False, "nothing")
        return
    it = item(got[0])
    raw(port, "POST", "/v1/nack", '{"topic":"orders","group":"g","owner":"alice","partition":%d,"offset":%d}' % (it["partition"], it["offset"]))
    time.sleep(0.6)  # the next redelivery pass moves it to the dead-letter topic
    same("dlq topic listed", raw(port, "GET", "/v1/topics"), answer(b"200 OK", b'{"topics":["audit","dlq.orders","orders"]}\n'))
    d = harness.Stream(port, "/v1/consume?topic=dlq.orders&group=ops&owner=o")
    lines = d.read_lines(1)
    # The copy keeps key, value and routing; its envelope loses the retry policy and its
    # dead-letter metadata is never shown (reference 3.9 and 2.6).
    check("dlq copy: routing kept, an empty envelope", lines and item(lines[0])["value"] == "doomed"
          and item(lines[0])["envelope"] == {} and item(lines[0])["routing"]["label"] == "test-label", lines)
    dlq_partition = item(lines[0])["partition"] if lines else 0
    d.close()
    m = call(port, "GET", "/metrics")
    check("metrics content type", m[1].get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8", m[1])
    for line in ['# HELP dlq_messages_total Total number of messages routed to DLQ.', '# TYPE dlq_messages_total counter',
                 'dlq_messages_total{reason="max_attempts_reached",topic="orders"} 1',
                 '# HELP consumer_lag Consumer lag per topic/group/partition (messages after committed offset).',
                 '# TYPE consumer_lag gauge', 'consumer_lag{group="g",partition="1",topic="orders"} 0',
                 '# HELP inflight_messages Current number of in-flight messages per topic/group/partition.',
                 '# TYPE inflight_messages gauge', 'inflight_messages{group="g",partition="1",topic="orders"} 0',
                 'inflight_messages{group="ops",partition="%d",topic="dlq.orders"} 1' % dlq_partition]:
        check("metrics: " + line, line + "\n" in m[2], m[2][:1500])
    check("metrics: no overload yet", "produce_rejected_total" not in m[2])


def overload(binary, scratch):
    srv = harness.Driftqd(binary, os.path.join(scratch, "wal-overload"), "--max-partition-messages", "2", fresh=True)
    try:
        call(srv.port, "POST", "/v1/topics?name=t")
        for _ in range(2):
            call(srv.port, "POST", "/v1/produce?topic=t&value=v")
        same("429 with Retry-After", raw(srv.port, "POST", "/v1/produce?topic=t&value=v"),
             answer(b"429 Too Many Requests", b'{"error":"RESOURCE_EXHAUSTED","message":"producer overload: partition_buffer_full",'
                    b'"reason":"partition_buffer_full","retry_after_ms":1000}\n', extra=b"Retry-After: 1\r\n"))
        m = call(srv.port, "GET", "/metrics")[2]
        check("metrics: produce_rejected_total", 'produce_rejected_total{reason="partition_buffer_full"} 1\n' in m, m)
    finally:
        srv.stop()


def dev_routes_and_keepalive(port):
    same("unversioned create", raw(port, "POST", "/topics?name=dev&partitions=1"),
         answer(b"201 Created", b'{"status":"created","name":"dev","partitions":1}\n'))
    same("unversioned produce", raw(port, "POST", "/produce", '{"topic":"dev","value":"x"}'),
         answer(b"200 OK", b'{"status":"produced","topic":"dev"}\n'))
    st = harness.Stream(port, "/consume?topic=dev&group=g&owner=o")
    got = st.read_lines(1)
    check("unversioned consume", got and item(got[0])["value"] == "x", got)
    if got:
        same("unversioned ack", raw(port, "POST", f"/ack?topic=dev&group=g&owner=o&partition=0&offset={item(got[0])['offset']}"),
             answer(b"204 No Content", b"", ctype=None))
    st.close()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        c.sendall(b"GET /v1/healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /v1/version HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := c.recv(65536):
            data += chunk
    check("keep-alive: two answers in order", data.count(b"HTTP/1.1 200 OK") == 2 and data.index(b'"ok"') < data.index(b'"dev"'), data)


def protocol(binary, scratch, port):
    # Expect: 100-continue: the go-ahead comes before the body is sent (curl waits a second without it).
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        body = b'{"topic":"orders","value":"' + b"x" * 2000 + b'"}'
        c.sendall(b"POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nConnection: close\r\n"
                  b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        c.settimeout(0.5)
        got = c.recv(100)
        same("100 Continue before the body", got, b"HTTP/1.1 100 Continue\r\n\r\n")
        c.settimeout(5)
        c.sendall(body)
        data = b""
        while chunk := c.recv(65536):
            data += chunk
        check("then the answer", data.startswith(b"HTTP/1.1 200 OK"), data[:200])
    # An answer over 2 KiB goes out chunked, as Go's server sends it past its 2 KiB buffer.
    long = "2030-01-01T00:00:00Z" + "x" * 2100
    msg = ('invalid deadline_rfc3339: parsing time "%s": extra text: "%s"' % (long, "x" * 2100))
    body = ('{"error":"INVALID_ARGUMENT","message":"%s"}\n' % msg.replace('"', '\\"')).encode()
    got = raw(port, "POST", "/v1/produce?topic=orders&value=v&deadline_rfc3339=" + long)
    same("a long answer is chunked", got,
         b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nX-Request-Id: <generated>\r\n"
         b"Date: *\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" + ("%x" % len(body)).encode() + b"\r\n" + body +
         b"\r\n0\r\n\r\n")
    # Upstream is started with Go's flag forms: -addr X, -wal=X.
    proc = subprocess.Popen([binary, "-addr=127.0.0.1:0", "-wal", os.path.join(scratch, "wal-flags"), "-log-level=warn"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    check("Go's flag forms", line.startswith("driftqd listening on 127.0.0.1:"), line)
    proc.terminate()
    proc.communicate(timeout=10)


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    os.makedirs(scratch, exist_ok=True)
    wal = os.path.join(scratch, "wal")
    srv = harness.Driftqd(binary, wal, fresh=True)
    try:
        basics(srv.port)
        s = produce_and_consume(srv.port)
        dead_letters(srv.port, s)
        s.close()
        dev_routes_and_keepalive(srv.port)
        protocol(binary, scratch, srv.port)
    finally:
        rc, out, err = srv.stop()
    check("SIGTERM stops it cleanly", rc == 0 and "driftqd stopped" in out, (rc, out, err[-500:]))
    overload(binary, scratch)
    # A restart replays the WAL: the messages are there, the acked ones stay acked.
    srv = harness.Driftqd(binary, wal)
    try:
        check("restart summary", srv.recovered.split()[0].isdigit() and int(srv.recovered.split()[0]) > 0, srv.recovered)
        st = harness.Stream(srv.port, "/v1/consume?topic=orders&group=fresh&owner=o")
        check("a new group reads what survived", len(st.read_lines(2)) == 2)
        st.close()
    finally:
        srv.stop()
    for f in failures:
        print("FAIL", f)
    print(f"driftqd conformance: {'FAILED' if failures else 'ok'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
