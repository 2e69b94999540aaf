package tables

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/nasplay/nasplay/engine/msgcheck"
	"github.com/nasplay/nasplay/engine/space"
)

// Schema is the version of the asset layout written by Encode. Decode
// rejects any other.
const Schema = 1

// assetKind names what an asset holds, so that a wrong file is caught early.
const assetKind = "nasplay/tables"

// file is the msgpack layout. Numeric columns are little-endian float32 byte
// blobs rather than rows of structs: in WebAssembly they decode about ten
// times faster.
type file struct {
	Kind     string            `msgpack:"kind"`
	Schema   int               `msgpack:"schema"`
	Rows     int               `msgpack:"rows"`
	Sources  map[string]string `msgpack:"sources"` // source file → SHA-256
	Arch     []byte            `msgpack:"arch"`    // space.NumEdges op codes per row
	Columns  []column          `msgpack:"columns"`
	Checksum string            `msgpack:"checksum"` // SHA-256 of arch and columns
}

type column struct {
	Name string `msgpack:"name"`
	Data []byte `msgpack:"data"` // float32 LE, NaN = unknown
}

func (f *file) digest() string {
	h := sha256.New()
	h.Write(f.Arch)
	for _, c := range f.Columns {
		h.Write([]byte(c.Name))
		h.Write([]byte{0})
		h.Write(c.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// required lists the columns every asset must hold.
func required() []string {
	var names []string
	for _, d := range Datasets() {
		names = append(names, testCol(d), validCol(d), paramsCol(d), flopsCol(d))
		for _, v := range Devices() {
			names = append(names, latencyCol(d, v))
			if v.HasEnergy() {
				names = append(names, energyCol(d, v))
			}
		}
	}
	return names
}

// encode writes the tables as a msgpack asset. sources records the checksums
// of the files they were converted from.
func (t *Tables) encode(sources map[string]string) ([]byte, error) {
	f := file{Kind: assetKind, Schema: Schema, Rows: t.Len(), Sources: sources}
	f.Arch = make([]byte, 0, t.Len()*space.NumEdges)
	for _, a := range t.arch {
		for _, o := range a {
			f.Arch = append(f.Arch, byte(o))
		}
	}
	for _, name := range t.names {
		c := t.cols[name]
		b := make([]byte, 4*len(c))
		for i, x := range c {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		f.Columns = append(f.Columns, column{name, b})
	}
	f.Checksum = f.digest()
	// Sorted map keys make the bytes a function of the data alone, so the
	// committed asset can be compared with a fresh conversion.
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.SetSortMapKeys(true)
	if err := enc.Encode(&f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode reads an asset written by the converter, checking its kind, schema,
// shape and checksum. Any damage is an error, never a panic.
func Decode(b []byte) (*Tables, error) {
	var f file
	if err := msgcheck.Lengths(b); err != nil {
		return nil, fmt.Errorf("tables asset: %w", err)
	}
	if err := msgpack.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("tables asset: not a valid msgpack document: %w", err)
	}
	if f.Kind != assetKind {
		return nil, fmt.Errorf("tables asset: kind %q, want %q", f.Kind, assetKind)
	}
	if f.Schema != Schema {
		return nil, fmt.Errorf("tables asset: schema %d, this build reads %d (rebuild the assets)", f.Schema, Schema)
	}
	if f.Rows != space.Size {
		return nil, fmt.Errorf("tables asset: %d rows, want %d", f.Rows, space.Size)
	}
	if len(f.Arch) != f.Rows*space.NumEdges {
		return nil, fmt.Errorf("tables asset: arch blob has %d bytes, want %d", len(f.Arch), f.Rows*space.NumEdges)
	}
	if got := f.digest(); got != f.Checksum {
		return nil, errors.New("tables asset: checksum mismatch (the file is damaged)")
	}
	t := &Tables{
		arch:    make([]space.Arch, f.Rows),
		byCode:  make([]int32, space.Size),
		cols:    make(map[string][]float32, len(f.Columns)),
		version: f.Checksum,
	}
	for i := range t.byCode {
		t.byCode[i] = -1
	}
	for i := range t.arch {
		for e := range space.NumEdges {
			o := space.Op(f.Arch[i*space.NumEdges+e])
			if o >= space.NumOps {
				return nil, fmt.Errorf("tables asset: row %d edge %d has op code %d", i, e, o)
			}
			t.arch[i][e] = o
		}
		code := t.arch[i].Code()
		if t.byCode[code] >= 0 {
			return nil, fmt.Errorf("tables asset: rows %d and %d hold the same cell", t.byCode[code], i)
		}
		t.byCode[code] = int32(i)
	}
	for _, c := range f.Columns {
		if len(c.Data) != 4*f.Rows {
			return nil, fmt.Errorf("tables asset: column %q has %d bytes, want %d", c.Name, len(c.Data), 4*f.Rows)
		}
		if _, dup := t.cols[c.Name]; dup {
			return nil, fmt.Errorf("tables asset: column %q appears twice", c.Name)
		}
		v := make([]float32, f.Rows)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(c.Data[4*i:]))
		}
		t.cols[c.Name] = v
	}
	for _, name := range required() {
		if _, ok := t.cols[name]; !ok {
			return nil, fmt.Errorf("tables asset: missing column %q", name)
		}
	}
	return t, nil
}
