package tables

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nasplay/nasplay/engine/space"
)

// Source files the converter reads, as named in the data folder.
const (
	NB201File = "nb201.csv"
	HWFile    = "hwnasbench.csv"
	SumsFile  = "SHA256SUMS"
)

// Convert turns the benchmark's CSV files into a tables asset. files maps
// NB201File, HWFile and SumsFile to their contents; each CSV must match its
// line in SHA256SUMS. Every numeric column of both files is kept under its
// CSV name; an empty cell becomes NaN (unknown).
func Convert(files map[string][]byte) ([]byte, error) {
	sources := map[string]string{}
	for _, name := range []string{NB201File, HWFile} {
		data, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("convert: %s is missing", name)
		}
		sum, err := CheckSum(files[SumsFile], name, data)
		if err != nil {
			return nil, err
		}
		sources[name] = sum
	}
	t := &Tables{cols: map[string][]float32{}}
	for _, name := range []string{NB201File, HWFile} {
		if err := t.readCSV(name, files[name]); err != nil {
			return nil, err
		}
	}
	for _, n := range required() {
		if _, ok := t.cols[n]; !ok {
			return nil, fmt.Errorf("convert: no column %q in the source files", n)
		}
	}
	return t.encode(sources)
}

// CheckSum checks data, the contents of the source file name, against its
// line in sums (the contents of SHA256SUMS) and returns its SHA-256 in hex.
// Every source the converters read goes through it.
func CheckSum(sums []byte, name string, data []byte) (string, error) {
	m, err := parseSums(sums)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(data)
	got := hex.EncodeToString(h[:])
	if want, ok := m[name]; !ok {
		return "", fmt.Errorf("convert: %s has no line in %s", name, SumsFile)
	} else if got != want {
		return "", fmt.Errorf("convert: %s has SHA-256 %s, %s says %s", name, got, SumsFile, want)
	}
	return got, nil
}

func parseSums(b []byte) (map[string]string, error) {
	if b == nil {
		return nil, fmt.Errorf("convert: %s is missing", SumsFile)
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("convert: %s line %d: want \"<sha256>  <file>\"", SumsFile, n)
		}
		m[strings.TrimPrefix(f[1], "*")] = f[0]
	}
	return m, sc.Err()
}

// readCSV adds a file's columns. The first file fixes the architectures; a
// later one must list the same architecture string for every index.
func (t *Tables) readCSV(name string, data []byte) error {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return fmt.Errorf("convert: %s: %v", name, err)
	}
	if len(rows) != space.Size+1 {
		return fmt.Errorf("convert: %s has %d data rows, want %d", name, len(rows)-1, space.Size)
	}
	head := rows[0]
	if len(head) < 3 || head[0] != "index" || head[1] != "arch_str" {
		return fmt.Errorf("convert: %s: header must start with index,arch_str", name)
	}
	first := t.arch == nil
	if first {
		t.arch = make([]space.Arch, space.Size)
		t.byCode = make([]int32, space.Size)
		for i := range t.byCode {
			t.byCode[i] = -1
		}
	}
	cols := make([][]float32, len(head))
	for j := 2; j < len(head); j++ {
		if _, dup := t.cols[head[j]]; dup {
			return fmt.Errorf("convert: %s: column %q already read", name, head[j])
		}
		cols[j] = make([]float32, space.Size)
		t.cols[head[j]] = cols[j]
		t.names = append(t.names, head[j])
	}
	for r, row := range rows[1:] {
		line := r + 2
		if len(row) != len(head) {
			return fmt.Errorf("convert: %s line %d: %d fields, want %d", name, line, len(row), len(head))
		}
		if row[0] != strconv.Itoa(r) {
			return fmt.Errorf("convert: %s line %d: index %q, want %d (rows must be in index order)", name, line, row[0], r)
		}
		a, err := space.Parse(row[1])
		if err != nil {
			return fmt.Errorf("convert: %s line %d: %v", name, line, err)
		}
		if first {
			if prev := t.byCode[a.Code()]; prev >= 0 {
				return fmt.Errorf("convert: %s line %d: cell also at index %d", name, line, prev)
			}
			t.arch[r] = a
			t.byCode[a.Code()] = int32(r)
		} else if t.arch[r] != a {
			return fmt.Errorf("convert: %s line %d: index %d is %s, but %s has %s", name, line, r, a, NB201File, t.arch[r])
		}
		for j := 2; j < len(head); j++ {
			if row[j] == "" {
				cols[j][r] = float32(math.NaN())
				continue
			}
			// Parsed straight to float32: parsing to float64 first and
			// narrowing rounds twice, one float32 step off for some values.
			x, err := strconv.ParseFloat(row[j], 32)
			if err != nil {
				return fmt.Errorf("convert: %s line %d column %s: %v", name, line, head[j], err)
			}
			cols[j][r] = float32(x)
		}
	}
	return nil
}
