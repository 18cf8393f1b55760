package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"probe/v1"
	"strconv"
	"time"
)

func decode(body string, v any) string {
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return "invalid json body: " + err.Error()
	}
	b, _ := json.Marshal(v)
	return "ok " + string(b)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	for in.Scan() {
		var c []string
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		kind, arg := c[0], c[1]
		out := ""
		switch kind {
		case "produce":
			out = decode(arg, &v1.ProduceRequest{})
		case "consume":
			out = decode(arg, &v1.ConsumeRequest{})
		case "topics":
			out = decode(arg, &v1.TopicsCreateRequest{})
		case "map":
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(arg), &m); err != nil {
				out = "invalid json body: " + err.Error()
			} else {
				out = "ok"
			}
		case "time":
			if _, err := time.Parse(time.RFC3339, arg); err != nil {
				out = err.Error()
			} else {
				out = "ok"
			}
		case "int64":
			if _, err := strconv.ParseInt(arg, 10, 64); err != nil {
				out = err.Error()
			} else {
				out = "ok"
			}
		}
		b, _ := json.Marshal(out)
		fmt.Println(string(b))
	}
}
