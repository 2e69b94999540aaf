package msgcheck

import (
	"runtime"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// Documents the encoder writes pass, whatever their shape.
func TestValidDocuments(t *testing.T) {
	type col struct {
		Name string
		Data []byte
	}
	docs := []any{
		nil, true, 1, -1, 300, -70000, 1 << 40, 1.5, float32(2.5), "", "hello",
		string(make([]byte, 300)), string(make([]byte, 70000)), make([]byte, 10), make([]byte, 70000),
		[]int{1, 2, 3}, make([]int, 20), make([]int, 70000), map[string]int{"a": 1, "b": 2},
		map[string]any{"k": []any{1, "x", map[string]float64{"y": 1}}},
		struct {
			Kind string
			Cols []col
		}{"t", []col{{"a", []byte{1, 2}}, {"b", make([]byte, 1000)}}},
	}
	for _, d := range docs {
		b, err := msgpack.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := Lengths(b); err != nil {
			t.Errorf("%T: %v", d, err)
		}
		if len(b) > 1 {
			if err := Lengths(b[:len(b)-1]); err == nil {
				t.Errorf("%T truncated by one byte: no error", d)
			}
		}
		if err := Lengths(append(b, 0)); err == nil {
			t.Errorf("%T with a trailing byte: no error", d)
		}
	}
}

func TestHostileHeaders(t *testing.T) {
	for _, h := range [][]byte{
		{0xc6, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3},                 // bin32 of 2 GB
		{0xdd, 0x7f, 0xff, 0xff, 0xff},                          // array32
		{0xdf, 0x7f, 0xff, 0xff, 0xff, 0xa1, 'a', 1},            // map32
		{0x81, 0xa4, 'd', 'a', 't', 'a', 0xdb, 0, 0, 1, 0, 'x'}, // str32 of 256 over 1 byte
		{0x91, 0xc9, 0xff, 0xff, 0xff, 0xff, 1},                 // ext32
		{0x91, 0xd6, 1, 0, 0, 0, 0},                             // fixext4: complete, but no asset has extensions
		// Found by FuzzDecode (engine/tables): the decoder read the fixext's
		// payload as a value and met an array32 of 808 million elements.
		{0x97, 0xc0, '0', '0', 0xd6, '0', 0x80, 0xc0, 0xdd, '0', '0', '0', '0'},
		{0xc1}, // never used
		{},
	} {
		if err := Lengths(h); err == nil {
			t.Errorf("% x: no error", h)
		}
	}
}

func FuzzLengths(f *testing.F) {
	f.Add([]byte{0x82, 0xa1, 'a', 0x01, 0xa1, 'b', 0x92, 0xc4, 0x01, 0xff, 0xc0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if Lengths(b) != nil {
			return
		}
		// What passes decodes without asking for more than the input holds:
		// its allocations stay within a constant factor of its size (an
		// empty element, one byte of input, becomes a 16-byte interface or
		// a map entry).
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var v any
		_ = msgpack.Unmarshal(b, &v)
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(256*len(b)+1<<20); got > limit {
			t.Errorf("%d bytes of input allocated %d bytes decoding (limit %d)", len(b), got, limit)
		}
	})
}
