// Package msgcheck checks a msgpack document's declared lengths against the
// bytes it actually has, before a decoder trusts them.
//
// msgpack/v5 allocates strings, byte slices and slices of structs to the
// length their header declares. A damaged asset can therefore declare
// gigabytes in a few bytes: natively that is mostly untouched virtual
// memory, but in WebAssembly the allocation kills the page. Every asset
// decoder runs Lengths first, so allocations stay proportional to the input.
package msgcheck

import (
	"encoding/binary"
	"fmt"
)

// Lengths walks the items of the msgpack document b and reports an error if
// a header declares more elements or bytes than remain, or if b is not
// exactly one complete item.
func Lengths(b []byte) error {
	pending := 1 // items still to read
	p := 0
	for pending > 0 {
		if p >= len(b) {
			return fmt.Errorf("msgpack: document ends at byte %d with %d items missing", p, pending)
		}
		pending--
		c := b[p]
		p++
		var n, items int // payload bytes to skip, items to add
		switch {
		case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3: // fixint, nil, bool
		case c >= 0x80 && c <= 0x8f: // fixmap
			items = 2 * int(c&0x0f)
		case c >= 0x90 && c <= 0x9f: // fixarray
			items = int(c & 0x0f)
		case c >= 0xa0 && c <= 0xbf: // fixstr
			n = int(c & 0x1f)
		default:
			size, count, extra, err := header(c, b[p:])
			if err != nil {
				return fmt.Errorf("msgpack: byte %d: %v", p-1, err)
			}
			p += size
			n, items = count+extra, 0
			switch c {
			case 0xdc, 0xdd: // array16/32
				n, items = 0, count
			case 0xde, 0xdf: // map16/32
				n, items = 0, 2*count
			}
		}
		if n < 0 || n > len(b)-p {
			return fmt.Errorf("msgpack: item at byte %d declares %d bytes, %d remain", p, n, len(b)-p)
		}
		p += n
		if items < 0 || items > len(b)-p {
			return fmt.Errorf("msgpack: item at byte %d declares %d elements, %d bytes remain", p, items, len(b)-p)
		}
		pending += items
	}
	if p != len(b) {
		return fmt.Errorf("msgpack: %d bytes after the document", len(b)-p)
	}
	return nil
}

// header decodes the length fields that follow type byte c: it returns the
// size of those fields, the declared count (bytes for str/bin/ext, elements
// for array/map) and any fixed payload (numbers, the ext type byte).
func header(c byte, b []byte) (size, count, extra int, err error) {
	need := func(k int) error {
		if len(b) < k {
			return fmt.Errorf("type 0x%02x needs %d header bytes, %d remain", c, k, len(b))
		}
		return nil
	}
	u := func(k int) int {
		switch k {
		case 1:
			return int(b[0])
		case 2:
			return int(binary.BigEndian.Uint16(b))
		}
		return int(binary.BigEndian.Uint32(b))
	}
	switch c {
	case 0xc4, 0xd9: // bin8, str8
		size = 1
	case 0xc5, 0xda, 0xdc, 0xde: // bin16, str16, array16, map16
		size = 2
	case 0xc6, 0xdb, 0xdd, 0xdf: // bin32, str32, array32, map32
		size = 4
	case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		// Extension types: msgpack/v5 decodes an ext payload by its type
		// (a registered type, a timestamp, or the bytes read again as a
		// value), so its length says nothing about what the decoder will
		// allocate; a 13-byte document once declared an 800-million-element
		// array that way (FuzzDecode in engine/tables). No asset uses them.
		return 0, 0, 0, fmt.Errorf("extension type 0x%02x: not allowed in an asset", c)
	case 0xcc, 0xd0: // uint8, int8
		return 0, 0, 1, nil
	case 0xcd, 0xd1:
		return 0, 0, 2, nil
	case 0xca, 0xce, 0xd2: // float32, uint32, int32
		return 0, 0, 4, nil
	case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
		return 0, 0, 8, nil
	default: // 0xc1 is never used
		return 0, 0, 0, fmt.Errorf("invalid type byte 0x%02x", c)
	}
	if err := need(size); err != nil {
		return 0, 0, 0, err
	}
	return size, u(size), extra, nil
}
