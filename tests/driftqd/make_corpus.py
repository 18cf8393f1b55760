#!/usr/bin/env python3
"""Writes bad_input_corpus.json: malformed requests and the exact answer driftqd must give.

The messages that come from Go's libraries (encoding/json's syntax and type errors, time.Parse,
strconv) are not written by hand: this script asks goprobe/ (the decoding part of upstream's
handlers, built with Go) for each one. Run it by hand after changing the cases:

    (cd tests/driftqd/goprobe && go build -o /tmp/driftq-goprobe .)
    python3 tests/driftqd/make_corpus.py /tmp/driftq-goprobe

Go 1.19 (Debian 12's) is what it was run with. Upstream needs a newer Go; the one difference that
matters here is time.Time's JSON decoding, which Go 1.20 made strict: those cases are written by
hand from Go 1.20's source (time.parseStrictRFC3339) and marked "hand".

Each case: name, the request (method, target, headers, body; or raw bytes), and the answer:
status and the exact body. The test (bad_input_test.py) also checks the server still answers
after each one."""
import json
import os
import urllib.parse
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def go_string(s):
    """Go's json.Encoder text for a string (HTML characters and U+2028/9 escaped)."""
    out = '"'
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out += '\\"'
        elif ch == '\\':
            out += '\\\\'
        elif ch == '\n':
            out += '\\n'
        elif ch == '\r':
            out += '\\r'
        elif ch == '\t':
            out += '\\t'
        elif o < 0x20 or ch in '<>&' or o in (0x2028, 0x2029):
            out += '\\u%04x' % o
        else:
            out += ch
    return out + '"'


def error_body(code, message):
    return '{"error":' + go_string(code) + ',"message":' + go_string(message) + '}\n'


class Probe:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, kind, arg):
        self.proc.stdin.write(json.dumps([kind, arg]) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


cases = []


def case(name, method, target, body=None, status=400, message=None, code="INVALID_ARGUMENT", answer=None, headers=None):
    c = {"name": name, "method": method, "target": target, "status": status}
    if body is not None:
        c["body"] = body
    if headers:
        c["headers"] = headers
    if answer is not None:
        c["answer"] = answer
    elif message is not None:
        c["answer"] = error_body(code, message)
    cases.append(c)


def raw(name, data, answer, status):
    cases.append({"name": name, "raw": data, "status": status, "answer": answer})


def build(probe):
    go = probe.ask

    # --- produce, JSON body: syntax (encoding/json's scanner), one context each
    produce_bodies = {
        "empty object": "{}",
        "garbage": "x",
        "bare word": "hello",
        "cut object": '{"topic":"t"',
        "cut string": '{"topic":"t',
        "cut after colon": '{"topic":',
        "cut key": '{"top',
        "missing colon": '{"topic" "t"}',
        "missing comma": '{"topic":"t" "value":"v"}',
        "trailing comma": '{"topic":"t",}',
        "single quotes": "{'topic':'t'}",
        "unquoted key": '{topic:"t"}',
        "control character in string": '{"topic":"a\tb","value":"v"}',
        "newline in string": '{"topic":"a\nb","value":"v"}',
        "bad escape": '{"topic":"\\x","value":"v"}',
        "bad unicode escape": '{"topic":"\\u12G4","value":"v"}',
        "leading zero": '{"topic":"t","value":"v","envelope":{"partition_override":01}}',
        "minus without digits": '{"envelope":{"partition_override":-}}',
        "dot without digits": '{"envelope":{"partition_override":1.}}',
        "exponent without digits": '{"envelope":{"partition_override":1e}}',
        "truncated true": '{"topic":tru}',
        "truncated false": '{"topic":fals}',
        "truncated null": '{"topic":nul}',
        "wrong literal": '{"topic":nope}',
        "array not closed": '{"topic":["a"',
        "array missing comma": '{"topic":["a" "b"]}',
        "closing bracket mismatch": '{"topic":"t"]',
        "only spaces": "   ",
        "only a brace": "{",
        "NaN": '{"envelope":{"partition_override":NaN}}',
        "hex number": '{"envelope":{"partition_override":0x10}}',
        "plus sign": '{"envelope":{"partition_override":+1}}',
        # type errors: the first one found is reported, decoding goes on
        "topic is a number": '{"topic":1,"value":"v"}',
        "value is an object": '{"topic":"t","value":{}}',
        "key is an array": '{"topic":"t","key":[],"value":"v"}',
        "key is true": '{"topic":"t","key":true,"value":"v"}',
        "envelope is a string": '{"topic":"t","value":"v","envelope":"x"}',
        "envelope is an array": '{"topic":"t","value":"v","envelope":[1]}',
        "run_id is a number": '{"topic":"t","value":"v","envelope":{"run_id":5}}',
        "retry_policy is a number": '{"topic":"t","value":"v","envelope":{"retry_policy":3}}',
        "max_attempts is a string": '{"topic":"t","value":"v","envelope":{"retry_policy":{"max_attempts":"3"}}}',
        "max_attempts is a fraction": '{"topic":"t","value":"v","envelope":{"retry_policy":{"max_attempts":1.5}}}',
        "max_attempts in exponent form": '{"topic":"t","value":"v","envelope":{"retry_policy":{"max_attempts":1e3}}}',
        "backoff_ms overflows int64": '{"topic":"t","value":"v","envelope":{"retry_policy":{"backoff_ms":9223372036854775808}}}',
        "max_backoff_ms is a bool": '{"topic":"t","value":"v","envelope":{"retry_policy":{"max_backoff_ms":false}}}',
        "partition_override is a string": '{"topic":"t","value":"v","envelope":{"partition_override":"1"}}',
        "partition_override overflows": '{"topic":"t","value":"v","envelope":{"partition_override":99999999999999999999}}',
        "first type error wins": '{"topic":1,"value":2}',
        "top level array": '[1,2]',
        "top level string": '"hello"',
        "top level number": '42',
        "top level true": 'true',
        # unknown fields (DisallowUnknownFields)
        "unknown top-level field": '{"topic":"t","value":"v","partition":1}',
        "labels are not in the HTTP schema": '{"topic":"t","value":"v","envelope":{"labels":{"a":"b"}}}',
        "dlq is not in the HTTP schema": '{"topic":"t","value":"v","envelope":{"dlq":{}}}',
        "unknown retry field": '{"topic":"t","value":"v","envelope":{"retry_policy":{"attempts":3}}}',
        "unknown field before a type error": '{"x":1,"topic":2}',
        "type error before an unknown field": '{"topic":2,"x":1}',
        "unknown field with a quote in it": '{"a\\"b":1}',
        # valid JSON, then the handler's own check
        "missing value": '{"topic":"t"}',
        "blank topic": '{"topic":"  ","value":"v"}',
        "null fields": '{"topic":null,"value":null}',
    }
    for name, body in produce_bodies.items():
        got = go("produce", body)
        if got.startswith("ok "):
            continue  # valid ones are below, with the answer they get
        case("produce JSON: " + name, "POST", "/v1/produce", body, message=got)
    for name, body in {"missing value": '{"topic":"t"}', "blank topic": '{"topic":"  ","value":"v"}',
                       "null fields": '{"topic":null,"value":null}', "empty object": "{}"}.items():
        case("produce JSON: " + name, "POST", "/v1/produce", body, message="topic and value are required")
    # Decoded fine: Go ignores what follows the value, matches keys case-insensitively.
    case("produce JSON: bytes after the value are ignored", "POST", "/v1/produce", '{"topic":"t","value":"v"} trailing',
         status=200, answer='{"status":"produced","topic":"t"}\n')
    case("produce JSON: keys match case-insensitively", "POST", "/v1/produce", '{"TOPIC":"t","Value":"v"}',
         status=200, answer='{"status":"produced","topic":"t"}\n')
    case("produce JSON: to a missing topic", "POST", "/v1/produce", '{"topic":"nope","value":"v"}',
         message="topic does not exist (create it first)")
    case("produce JSON: deadline passed", "POST", "/v1/produce",
         '{"topic":"t","value":"v","envelope":{"deadline":"2001-01-01T00:00:00Z"}}', message="message deadline exceeded")
    case("produce JSON: partition_override out of range", "POST", "/v1/produce",
         '{"topic":"t","value":"v","envelope":{"partition_override":7}}', message="partition_override out of range")
    case("produce JSON: huge partition_override", "POST", "/v1/produce",
         '{"topic":"t","value":"v","envelope":{"partition_override":9223372036854775807}}', message="partition_override out of range")
    case("produce JSON: max_attempts past the core's 32 bits", "POST", "/v1/produce",
         '{"topic":"t","value":"v","envelope":{"retry_policy":{"max_attempts":4294967296}}}',
         message="retry max_attempts 4294967296 is out of range (at most 2147483647)")
    # time.Time's JSON decoding (Go 1.20+: strict RFC 3339), by hand from Go's source
    layout = '"2006-01-02T15:04:05Z07:00"'
    for name, value, msg in [
        ("deadline is a number", "12", "Time.UnmarshalJSON: input is not a JSON string"),
        ("deadline is an object", "{}", "Time.UnmarshalJSON: input is not a JSON string"),
        ("deadline is not a time", '"soon"', 'parsing time "soon" as ' + layout + ': cannot parse "soon" as "2006"'),
        ("deadline without a zone", '"2030-01-01T00:00:00"', 'parsing time "2030-01-01T00:00:00" as ' + layout + ': cannot parse "" as "Z07:00"'),
        ("deadline month 13", '"2030-13-01T00:00:00Z"', 'parsing time "2030-13-01T00:00:00Z": month out of range'),
        ("deadline February 30", '"2030-02-30T00:00:00Z"', 'parsing time "2030-02-30T00:00:00Z": day out of range'),
        ("deadline with a space for T", '"2030-01-01 00:00:00Z"', 'parsing time "2030-01-01 00:00:00Z" as ' + layout + ': cannot parse " 00:00:00Z" as "T"'),
        ("deadline one-digit hour", '"2030-01-01T1:00:00Z"', 'parsing time "2030-01-01T1:00:00Z" as ' + layout + ': cannot parse "1" as "15"'),
        ("deadline comma fraction", '"2030-01-01T00:00:00,5Z"', 'parsing time "2030-01-01T00:00:00,5Z" as ' + layout + ': cannot parse "," as "."'),
        ("deadline zone hour 24", '"2030-01-01T00:00:00+24:00"', 'parsing time "2030-01-01T00:00:00+24:00": timezone hour out of range'),
        ("deadline extra text", '"2030-01-01T00:00:00Zjunk"', 'parsing time "2030-01-01T00:00:00Zjunk": extra text: "junk"'),
    ]:
        case("produce JSON: " + name + " (hand)", "POST", "/v1/produce",
             '{"topic":"t","value":"v","envelope":{"deadline":' + value + '}}', message="invalid json body: " + msg)
    case("produce JSON: a deadline error stops decoding at once (hand)", "POST", "/v1/produce",
         '{"x":1,"envelope":{"deadline":7}}', message="invalid json body: Time.UnmarshalJSON: input is not a JSON string")

    # --- produce, query form
    q = "/v1/produce?topic=t&value=v"
    case("produce query: no parameters", "POST", "/v1/produce", message="topic and value are required")
    case("produce query: empty value", "POST", "/v1/produce?topic=t&value=", message="topic and value are required")
    case("produce query: blank topic", "POST", "/v1/produce?topic=%20&value=v", message="topic and value are required")
    case("produce query: topic missing", "POST", "/v1/produce?value=v", message="topic and value are required")
    case("produce query: to a missing topic", "POST", "/v1/produce?topic=nope&value=v", message="topic does not exist (create it first)")
    case("produce query: malformed escape drops the pair", "POST", "/v1/produce?topic=t&value=%zz", message="topic and value are required")
    case("produce query: semicolon drops the pair", "POST", "/v1/produce?topic=t&value=a;b", message="topic and value are required")
    for v in ["x", "-1", "1.5", "99999999999999999999"]:
        case("produce query: partition_override=" + v, "POST", q + "&partition_override=" + v, message="invalid partition_override")
    case("produce query: partition_override past the core's 32 bits", "POST", q + "&partition_override=4294967296",
         message="partition_override out of range")
    case("produce query: partition_override out of range", "POST", q + "&partition_override=5", message="partition_override out of range")
    for v in ["soon", "2030-01-01", "2030-01-01T00:00:00", "2030-13-01T00:00:00Z", "2030-02-30T00:00:00Z",
              "2030-01-01T25:00:00Z", "2030-01-01T00:61:00Z", "2030-01-01T00:00:61Z",
              "2030-01-01T00:00:00Zjunk", "2030-01-01T00:00:00+0100", "20301-01-01T00:00:00Z", "2030-1-01T00:00:00Z",
              "2030-01-01T00:00:00.123+01:00x", "2030-01-01T00:00:00-01:3x"]:
        case("produce query: deadline_rfc3339=" + v, "POST", q + "&deadline_rfc3339=" + urllib.parse.quote(v, safe=""),
             message="invalid deadline_rfc3339: " + go("time", v))
    # Go 1.20 added zone range checks to time.Parse (Go 1.19, the probe, accepts this one).
    case("produce query: deadline_rfc3339 zone hour 25 (hand)", "POST", q + "&deadline_rfc3339=2030-01-01T00:00:00%2B25:00",
         message='invalid deadline_rfc3339: parsing time "2030-01-01T00:00:00+25:00": time zone offset hour out of range')
    case("produce query: an unescaped + is a space", "POST", q + "&deadline_rfc3339=2030-01-01T00:00:00+01:00",
         message="invalid deadline_rfc3339: " + go("time", "2030-01-01T00:00:00 01:00"))
    case("produce query: deadline_rfc3339 in the past", "POST", q + "&deadline_rfc3339=2001-01-01T00:00:00Z", message="message deadline exceeded")
    case("produce query: deadline_rfc3339 wins over deadline_ms", "POST", q + "&deadline_rfc3339=2001-01-01T00:00:00Z&deadline_ms=99999999999999",
         message="message deadline exceeded")
    for v in ["soon", "1.5", "99999999999999999999", "-99999999999999999999", "1e3"]:
        case("produce query: deadline_ms=" + v, "POST", q + "&deadline_ms=" + v, message="invalid deadline_ms: " + go("int64", v))
    case("produce query: deadline_ms past Go's nanosecond range", "POST", q + "&deadline_ms=9223372036854775",
         message="invalid deadline_ms: 9223372036854775 is out of range (at most 9223372036854 ms from 1970 either way)")
    case("produce query: deadline_ms in the past", "POST", q + "&deadline_ms=1000", message="message deadline exceeded")
    for p in ["retry_max_attempts", "retry_backoff_ms", "retry_max_backoff_ms"]:
        case("produce query: " + p + "=x", "POST", q + "&" + p + "=x", message="invalid " + p)
        case("produce query: " + p + "=-1", "POST", q + "&" + p + "=-1&retry_max_attempts=1" if p != "retry_max_attempts" else q + "&" + p + "=-1",
             message="invalid " + p)
    case("produce query: parse errors come before negatives", "POST", q + "&retry_max_attempts=-1&retry_backoff_ms=x",
         message="invalid retry_backoff_ms")
    case("produce query: backoff without attempts", "POST", q + "&retry_backoff_ms=10",
         message="retry_max_attempts must be > 0 when using retry backoff params")
    case("produce query: partition_override is checked before the deadline", "POST", q + "&partition_override=x&deadline_ms=x",
         message="invalid partition_override")
    case("produce query: a message bigger than a partition's buffer", "POST", "/v1/produce?topic=t&value=" + "x" * 65536,
         message="message too large for a partition's buffer: key and value are 65536 bytes, the buffer holds less than 65536 (max_partition_bytes); a retry can never succeed")

    # --- consume
    case("consume: nothing", "GET", "/v1/consume", message="topic, group, and owner are required")
    case("consume: no owner", "GET", "/v1/consume?topic=t&group=g", message="topic, group, and owner are required")
    case("consume: blank group", "GET", "/v1/consume?topic=t&group=%20&owner=o", message="topic, group, and owner are required")
    case("consume: lease_ms=x", "GET", "/v1/consume?topic=t&group=g&owner=o&lease_ms=x", message="invalid lease_ms")
    case("consume: lease_ms=-5", "GET", "/v1/consume?topic=t&group=g&owner=o&lease_ms=-5", message="invalid lease_ms")
    case("consume: lease_ms is checked before the names", "GET", "/v1/consume?lease_ms=x", message="invalid lease_ms")
    case("consume: a missing topic", "GET", "/v1/consume?topic=nope&group=g&owner=o", message="topic does not exist")
    case("consume: lease_ms past Go's Duration range", "GET", "/v1/consume?topic=t&group=g&owner=o&lease_ms=9223372036855",
         message="invalid lease_ms: 9223372036855 is out of range (at most 9223372036854)")
    for name, body in {"cut body": '{"topic":"t"', "unknown field": '{"topic":"t","partition":1}',
                       "lease_ms is a string": '{"topic":"t","group":"g","owner":"o","lease_ms":"5"}',
                       "topic is a number": '{"topic":5}'}.items():
        case("consume JSON: " + name, "GET", "/v1/consume", body, message=go("consume", body))
    case("consume JSON: negative lease", "GET", "/v1/consume", '{"topic":"t","group":"g","owner":"o","lease_ms":-1}', message="invalid lease_ms")

    # --- ack and nack (json.Unmarshal into a map; then the handler's own checks)
    for ep in ["ack", "nack"]:
        path = "/v1/" + ep
        for name, body in {"cut body": '{"topic":"t"', "garbage": "x", "array": "[]", "string": '"s"', "number": "1",
                           "bytes after the value": '{"topic":"t"} x', "two values": "{}{}", "bool": "true",
                           "cut literal": '{"topic":tru'}.items():
            case(ep + " JSON: " + name, "POST", path, body, message=go("map", body))
        allowed = "reason" if ep == "nack" else "x"
        case(ep + " JSON: unknown field", "POST", path, '{"topic":"t","' + ("zzz" if ep == "nack" else "reason") + '":1}',
             message="unknown field: " + ("zzz" if ep == "nack" else "reason"))
        case(ep + " JSON: the smallest unknown field is named", "POST", path, '{"zeta":1,"alpha":2}', message="unknown field: alpha")
        case(ep + " JSON: partition is a string", "POST", path, '{"partition":"1"}', message="invalid partition")
        case(ep + " JSON: partition is a fraction", "POST", path, '{"partition":1.5}', message="invalid partition")
        case(ep + " JSON: offset overflows", "POST", path, '{"offset":9223372036854775808}', message="invalid offset")
        case(ep + " JSON: offset is an object", "POST", path, '{"offset":{}}', message="invalid offset")
        case(ep + " JSON: names of the wrong type are empty", "POST", path, '{"topic":1,"group":"g","owner":"o"}',
             message="topic, group, and owner are required")
        case(ep + " JSON: null body", "POST", path, "null", message="topic, group, and owner are required")
        case(ep + " JSON: missing offset means 0", "POST", path, '{"topic":"t","group":"g","owner":"o"}', message="message is not in-flight")
        case(ep + " JSON: negative partition", "POST", path, '{"topic":"t","group":"g","owner":"o","partition":-1}',
             message="partition cannot be negative")
        case(ep + " JSON: huge partition", "POST", path, '{"topic":"t","group":"g","owner":"o","partition":9999999999}',
             message="partition out of range")
        case(ep + " JSON: negative offset", "POST", path, '{"topic":"t","group":"g","owner":"o","offset":-1}',
             message="offset cannot be negative")
        case(ep + " JSON: missing topic", "POST", path, '{"topic":"nope","group":"g","owner":"o"}', message="topic does not exist")
        case(ep + " query: nothing", "POST", path, message="partition and offset are required")
        case(ep + " query: no offset", "POST", path + "?partition=0", message="partition and offset are required")
        case(ep + " query: partition=x", "POST", path + "?partition=x&offset=0", message="invalid partition")
        case(ep + " query: partition past 32 bits", "POST", path + "?partition=2147483648&offset=0", message="invalid partition")
        case(ep + " query: offset=1.0", "POST", path + "?partition=0&offset=1.0", message="invalid offset")
        case(ep + " query: numbers are checked before names", "POST", path + "?partition=0&offset=0",
             message="topic, group, and owner are required")
        case(ep + " query: partition out of range", "POST", path + "?topic=t&group=g&owner=o&partition=9&offset=0",
             message="partition out of range")
        case(ep + " query: not in flight", "POST", path + "?topic=t&group=g&owner=o&partition=0&offset=5",
             message="message is not in-flight")

    # --- topics
    case("topics: partitions=two", "POST", "/v1/topics?name=x&partitions=two", message="invalid partitions")
    case("topics: partitions=-1", "POST", "/v1/topics?name=x&partitions=-1", message="invalid partitions")
    case("topics: partitions past 64 bits", "POST", "/v1/topics?name=x&partitions=9223372036854775808", message="invalid partitions")
    case("topics: a huge count meets the core's bound", "POST", "/v1/topics?name=x&partitions=9223372036854775807",
         message="partitions must be <= 4096 (max_partitions)")
    case("topics: blank name", "POST", "/v1/topics?name=%20%20", message="name is required")
    case("topics: no name", "POST", "/v1/topics", message="name is required")
    case("topics: a name too long", "POST", "/v1/topics?name=" + "n" * 250,
         message="topic name too long: 250 bytes, at most 249 (max_topic_name_bytes)")  # the core's bound
    for name, body in {"cut body": '{"name":"x"', "unknown field": '{"name":"x","replicas":3}',
                       "partitions is a string": '{"name":"x","partitions":"2"}', "name is a number": '{"name":2}',
                       "partitions is a fraction": '{"name":"x","partitions":2.5}'}.items():
        case("topics JSON: " + name, "POST", "/v1/topics", body, message=go("topics", body))
    case("topics JSON: negative partitions", "POST", "/v1/topics", '{"name":"x","partitions":-2}', message="invalid partitions")

    # --- routing
    for path, allow in [("/v1/healthz", "GET"), ("/v1/version", "GET"), ("/v1/produce", "POST"), ("/v1/consume", "GET"),
                        ("/v1/ack", "POST"), ("/v1/nack", "POST")]:
        wrong = "POST" if allow == "GET" else "GET"
        case("wrong method: " + wrong + " " + path, wrong, path, status=405, code="METHOD_NOT_ALLOWED", message="method not allowed")
    case("wrong method: DELETE /v1/topics", "DELETE", "/v1/topics", status=405, code="METHOD_NOT_ALLOWED", message="method not allowed")
    case("wrong method: PUT /v1/produce", "PUT", "/v1/produce", status=405, code="METHOD_NOT_ALLOWED", message="method not allowed")
    case("wrong method: HEAD /v1/healthz", "HEAD", "/v1/healthz", status=405, answer="")
    text404 = "404 page not found\n"
    for path in ["/v1/", "/v1/nope", "/v1/metrics", "/v1/healthz/", "/v1/HEALTHZ"]:
        case("odd path: " + path, "GET", path, status=404, answer=text404)
    for path in ["/", "/nothing", "/metrics/", "/v2/produce", "/version"]:
        case("outside /v1: " + path, "GET", path, status=404, code="NOT_FOUND", message="use /v1/* endpoints")
    for path, to in [("/v1//healthz", "/v1/healthz"), ("/v1/./healthz", "/v1/healthz"), ("/v1/x/../healthz", "/v1/healthz"),
                     ("//v1/healthz", "/v1/healthz")]:
        case("unclean path: " + path, "GET", path, status=301, answer='<a href="' + to + '">Moved Permanently</a>.\n\n')
    bad = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request")
    raw("broken request line", "NONSENSE\r\n\r\n", bad, 400)
    raw("no HTTP version", "GET /v1/healthz\r\n\r\n", bad, 400)
    raw("unknown HTTP version", "GET /v1/healthz HTTP/9.9\r\nHost: localhost\r\n\r\n", bad, 400)
    raw("header without a colon", "GET /v1/healthz HTTP/1.1\r\nHost x\r\n\r\n", bad, 400)
    raw("space before a header colon", "GET /v1/healthz HTTP/1.1\r\nHost : x\r\n\r\n", bad, 400)
    raw("bad Content-Length", "POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n", bad, 400)
    raw("two Content-Lengths", "POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", bad, 400)
    raw("bad chunk size", "POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", bad, 400)
    raw("control byte in the target", "GET /v1/he\x01lthz HTTP/1.1\r\nHost: localhost\r\n\r\n", bad, 400)
    raw("method with a slash", "G/ET /v1/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", bad, 400)
    raw("HTTP/1.1 without Host", "GET /v1/healthz HTTP/1.1\r\n\r\n",
        "HTTP/1.1 400 Bad Request: missing required Host header\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Connection: close\r\n\r\n400 Bad Request: missing required Host header", 400)
    raw("huge headers", "GET /v1/healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a" * 1100000 + "\r\n\r\n",
        "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
        "431 Request Header Fields Too Large", 431)
    raw("huge body", "POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nContent-Length: 17000000\r\n\r\n",
        "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
        "413 Request Entity Too Large", 413)
    # Bodies that never arrive whole, slow clients and cut connections: no answer, the
    # connection closes after the read timeout (the test runs with a short one).
    for name, data in [("body shorter than Content-Length", "POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{}"),
                       ("headers never end", "GET /v1/healthz HTTP/1.1\r\nHost: localhost\r\n"),
                       ("chunked body never ends", "POST /v1/produce HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc")]:
        raw(name, data, "", 0)


def main():
    probe = Probe(sys.argv[1])
    build(probe)
    names = [c["name"] for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, dupes
    with open(os.path.join(HERE, "bad_input_corpus.json"), "w") as f:
        json.dump({"about": "Generated by make_corpus.py: malformed requests and driftqd's exact answers.",
                   "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
