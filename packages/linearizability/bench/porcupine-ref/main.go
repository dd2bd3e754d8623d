// A reference runner for the memory benchmark: checks a raftkit JSON kv history with porcupine
// (github.com/anishathalye/porcupine) and prints {"verdict", "ms", "maxRssBytes"} as JSON.
// Build: go mod edit -replace github.com/anishathalye/porcupine=<checkout> && go build -o porcupine-ref .
// Usage: porcupine-ref <history.json> <timeout-ms>
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/anishathalye/porcupine"
)

type kvInput struct {
	Op    string `json:"op"`
	Key   string `json:"key"`
	Value string `json:"value"`
}

type kvOutput struct {
	Value string `json:"value"`
}

type jsonOp struct {
	Client int             `json:"client"`
	Input  kvInput         `json:"input"`
	Call   float64         `json:"call"`
	Output json.RawMessage `json:"output"`
	Return *float64        `json:"return"`
}

type history struct {
	Model      string   `json:"model"`
	Operations []jsonOp `json:"operations"`
}

var kvModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range history {
			k := op.Input.(kvInput).Key
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		var out [][]porcupine.Operation
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() interface{} { return "" },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		in := input.(kvInput)
		s := state.(string)
		switch in.Op {
		case "get":
			if output == nil {
				return true, s
			}
			return output.(kvOutput).Value == s, s
		case "put":
			return true, in.Value
		default:
			return true, s + in.Value
		}
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
}

func main() {
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	timeoutMs, _ := strconv.Atoi(os.Args[2])
	var h history
	if err := json.Unmarshal(text, &h); err != nil {
		panic(err)
	}
	// porcupine's times are integers: scale fractional times (1/1024 resolution keeps order).
	scale := func(t float64) int64 { return int64(math.Round(t * 1024)) }
	ops := make([]porcupine.Operation, 0, len(h.Operations))
	for _, o := range h.Operations {
		var out interface{}
		ret := int64(math.MaxInt64 / 2)
		if o.Return != nil {
			ret = scale(*o.Return)
			if o.Input.Op == "get" {
				var v kvOutput
				if err := json.Unmarshal(o.Output, &v); err == nil {
					out = v
				}
			} else {
				out = kvOutput{}
			}
		}
		ops = append(ops, porcupine.Operation{ClientId: o.Client, Input: o.Input, Call: scale(o.Call), Output: out, Return: ret})
	}
	start := time.Now()
	res := porcupine.CheckOperationsTimeout(kvModel, ops, time.Duration(timeoutMs)*time.Millisecond)
	ms := float64(time.Since(start).Microseconds()) / 1000
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	verdict := map[porcupine.CheckResult]string{porcupine.Ok: "ok", porcupine.Illegal: "illegal", porcupine.Unknown: "unknown"}[res]
	fmt.Printf("{\"verdict\":%q,\"ms\":%.1f,\"maxRssBytes\":%d}\n", verdict, ms, ru.Maxrss*1024)
}
