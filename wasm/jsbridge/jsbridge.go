//go:build js

// Package jsbridge exports Go functions to JavaScript as both of nasplay's
// WebAssembly programs (the page's engine and the indicator worker) do:
// every call returns a JSON string, an object with an "error" member when
// it failed. A panic is such an error too: unrecovered, it would end the Go
// program, and every later call would throw "Go program has already
// exited" with no word of why.
package jsbridge

import (
	"encoding/json"
	"fmt"
	"syscall/js"
)

// Func is a function JavaScript calls with its arguments.
type Func func(args []js.Value) (any, error)

// Export wraps each function of fns for JavaScript. An error's message is
// prefixed with the function's name when named is true.
func Export(fns map[string]Func, named bool) map[string]any {
	out := map[string]any{}
	for name, f := range fns {
		out[name] = js.FuncOf(func(_ js.Value, args []js.Value) any { return call(name, f, args, named) })
	}
	return out
}

func call(name string, f Func, args []js.Value, named bool) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = errorJSON(fmt.Sprintf("%s: internal error: %v", name, r))
		}
	}()
	v, err := f(args)
	if err != nil {
		msg := err.Error()
		if named {
			msg = name + ": " + msg
		}
		return errorJSON(msg)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return errorJSON(name + ": " + err.Error())
	}
	return string(j)
}

func errorJSON(msg string) string {
	j, _ := json.Marshal(map[string]string{"error": msg}) // a string map always marshals
	return string(j)
}

// Bytes copies args[i], which must be a Uint8Array of this program's own
// realm (js.CopyBytesToGo panics on one from another window), into Go.
func Bytes(args []js.Value, i int, what string) ([]byte, error) {
	if i >= len(args) || !args[i].InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, fmt.Errorf("want %s as a Uint8Array of this window", what)
	}
	b := make([]byte, args[i].Get("byteLength").Int())
	js.CopyBytesToGo(b, args[i])
	return b, nil
}
