package scores

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/nasplay/nasplay/engine/msgcheck"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// TableSchema is the version of the indicator table's layout; DecodeTable
// rejects any other.
const TableSchema = 2

const tableKind = "nasplay/indicators"

// Table holds every indicator of every benchmark network for the three
// datasets, computed at one configuration, with the fusion fitted per
// dataset.
type Table struct {
	config  Config
	data    [tables.NumDatasets]tableData
	rankers [tables.NumDatasets][NumRaw]Ranker // built on first use
}

type tableData struct {
	cols   [NumRaw + 1][]float32 // Names order, by benchmark index
	fusion Fusion
	counts Counts
}

// Fusion is the fitted fusion indicator of one dataset:
// fi = Intercept + Σ_k (Weights[k]·rank_k + Squares[k]·rank_k²), where
// rank_k is the normalized mid-rank (in (0, 1]) of indicator Inputs[k]
// among the 15,625 networks. It is additive in its inputs, each through a
// quadratic of its rank, because an input's rank is not linear in the
// accuracy's (README, "Correlation with test accuracy").
type Fusion struct {
	Inputs    []string  `msgpack:"inputs"`
	Weights   []float64 `msgpack:"weights"`
	Squares   []float64 `msgpack:"squares"`
	Intercept float64   `msgpack:"intercept"`
	// Fit lists the benchmark indices of the fit split, ascending; the
	// weights were fit by least squares to the normalized rank of the
	// validation accuracy on them. Every one is a connected cell.
	Fit []int `msgpack:"fit"`
}

// Counts records, per dataset, how many of the 15,625 networks got the
// defined worst score: Disconnected cells for every indicator, and
// connected cells whose computation gave NaN or a singular matrix, per raw
// indicator in Names order.
type Counts struct {
	Disconnected int         `msgpack:"disconnected"`
	Failed       [NumRaw]int `msgpack:"failed"`
}

// NewTable makes the table of configuration cfg from, for each dataset d,
// the raw indicator columns cols[d] (Names order without fi, each by
// benchmark index; kept, not copied), the fitted fusion and the
// worst-score counts. The fi column is every network's raw values fused by
// Fuse.
func NewTable(cfg Config, cols [tables.NumDatasets][NumRaw][]float32, fusion [tables.NumDatasets]Fusion, counts [tables.NumDatasets]Counts) (*Table, error) {
	t := &Table{config: cfg}
	for _, d := range tables.Datasets() {
		if err := checkFusion(d, fusion[d]); err != nil {
			return nil, err
		}
		td := &t.data[d]
		for k, col := range cols[d] {
			if len(col) != space.Size {
				return nil, fmt.Errorf("indicator table: %v %s has %d values, want %d", d, rawNames[k], len(col), space.Size)
			}
			td.cols[k] = col
		}
		td.fusion, td.counts = fusion[d], counts[d]
		fi := make([]float32, space.Size)
		for i := range fi {
			var raw Raw
			for k := range raw.Values {
				raw.Values[k] = float64(td.cols[k][i])
			}
			fi[i] = float32(t.Fuse(d, raw))
		}
		td.cols[NumRaw] = fi
	}
	return t, nil
}

// checkFusion rejects a fusion whose inputs are not raw indicators or do
// not match its weights.
func checkFusion(d tables.Dataset, fu Fusion) error {
	if len(fu.Inputs) == 0 || len(fu.Weights) != len(fu.Inputs) || len(fu.Squares) != len(fu.Inputs) {
		return fmt.Errorf("indicator table: %v fusion has %d inputs, %d weights and %d square weights", d, len(fu.Inputs), len(fu.Weights), len(fu.Squares))
	}
	for _, in := range fu.Inputs {
		if rawIndex(in) < 0 {
			return fmt.Errorf("indicator table: %v fusion input %q is not a raw indicator", d, in)
		}
	}
	for _, w := range append(append([]float64{fu.Intercept}, fu.Weights...), fu.Squares...) {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("indicator table: %v fusion has a weight of %v", d, w)
		}
	}
	for k, i := range fu.Fit {
		if i < 0 || i >= space.Size || k > 0 && i <= fu.Fit[k-1] {
			return fmt.Errorf("indicator table: %v fusion's fit split is not ascending benchmark indices (%d at position %d)", d, i, k)
		}
	}
	return nil
}

// Config returns the configuration the table was computed with.
func (t *Table) Config() Config { return t.config }

// Fusion returns the fusion fitted for dataset d.
func (t *Table) Fusion(d tables.Dataset) Fusion { return t.data[d].fusion }

// Counts returns the worst-score counts of dataset d.
func (t *Table) Counts(d tables.Dataset) Counts { return t.data[d].counts }

// Column returns the raw scores of indicator name for all 15,625 benchmark
// networks of dataset d, by benchmark index, oriented higher = better and
// never NaN. params and flops come from the benchmark tables bt (tab may
// then be nil); every other name needs tab.
func Column(tab *Table, bt *tables.Tables, d tables.Dataset, name string) ([]float32, error) {
	if d < 0 || d >= tables.NumDatasets {
		return nil, fmt.Errorf("indicator scores: unknown dataset %d", d)
	}
	switch name {
	case Params, Flops:
		if bt == nil {
			return nil, fmt.Errorf("indicator scores: %s needs the benchmark tables", name)
		}
		col := bt.ParamsM(d)
		if name == Flops {
			col = bt.FlopsM(d)
		}
		return slices.Clone(col), nil
	}
	k := slices.Index(Names(), name)
	if k < 0 {
		return nil, unknownName(name)
	}
	if tab == nil {
		return nil, fmt.Errorf("indicator scores: %s needs the indicator table", name)
	}
	return slices.Clone(tab.data[d].cols[k]), nil
}

// Fuse applies dataset d's fusion to the raw indicators of a network that
// need not be in the table: each input is ranked among the table's values
// (as the float32 the table would store), so a network of the table gets
// exactly its stored fi. A network with the worst score in any input
// (disconnected, NaN or singular) gets the worst fi.
func (t *Table) Fuse(d tables.Dataset, raw Raw) float64 {
	f := t.data[d].fusion
	ranks := make([]float64, len(f.Inputs))
	for k, name := range f.Inputs {
		i := rawIndex(name)
		v := float32(raw.Values[i])
		if v == Worst {
			return Worst
		}
		ranks[k] = t.ranker(d, i).Rank(float64(v))
	}
	return f.Combine(ranks)
}

// Combine returns the fusion of its inputs' normalized ranks, ranks[k]
// being that of Inputs[k].
func (f Fusion) Combine(ranks []float64) float64 {
	fi := f.Intercept
	for k, r := range ranks {
		fi += f.Weights[k]*r + f.Squares[k]*r*r
	}
	return fi
}

func (t *Table) ranker(d tables.Dataset, i int) Ranker {
	if t.rankers[d][i].sorted == nil {
		t.rankers[d][i] = NewRanker(t.data[d].cols[i])
	}
	return t.rankers[d][i]
}

// The msgpack layout. Columns are little-endian float32 byte blobs, which
// decode about ten times faster than arrays in WebAssembly.
type tableFile struct {
	Kind          string        `msgpack:"kind"`
	Schema        int           `msgpack:"schema"`
	ConfigVersion string        `msgpack:"config_version"`
	Config        []byte        `msgpack:"config"` // JSON
	Rows          int           `msgpack:"rows"`
	Datasets      []datasetFile `msgpack:"datasets"`
	Checksum      string        `msgpack:"checksum"` // SHA-256 of the file with this field empty
}

type datasetFile struct {
	Name    string   `msgpack:"name"`
	Columns []column `msgpack:"columns"`
	Fusion  Fusion   `msgpack:"fusion"`
	Counts  Counts   `msgpack:"counts"`
}

type column struct {
	Name string `msgpack:"name"`
	Data []byte `msgpack:"data"`
}

func (f *tableFile) digest() (string, error) {
	c := *f
	c.Checksum = ""
	b, err := msgpack.Marshal(&c)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// Encode writes the table as a msgpack asset.
func (t *Table) Encode() ([]byte, error) {
	cj, err := json.Marshal(t.config)
	if err != nil {
		return nil, err
	}
	f := tableFile{Kind: tableKind, Schema: TableSchema, ConfigVersion: t.config.Version(), Config: cj, Rows: space.Size}
	for _, d := range tables.Datasets() {
		td := &t.data[d]
		df := datasetFile{Name: d.String(), Fusion: td.fusion, Counts: td.counts}
		for k, name := range Names() {
			b := make([]byte, 4*len(td.cols[k]))
			for i, v := range td.cols[k] {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
			}
			df.Columns = append(df.Columns, column{name, b})
		}
		f.Datasets = append(f.Datasets, df)
	}
	if f.Checksum, err = f.digest(); err != nil {
		return nil, err
	}
	return msgpack.Marshal(&f)
}

// DecodeTable reads a table written by Encode. Damaged or foreign input is
// an error, never a panic.
func DecodeTable(b []byte) (*Table, error) {
	var f tableFile
	if err := msgcheck.Lengths(b); err != nil {
		return nil, fmt.Errorf("indicator table: %v", err)
	}
	if err := msgpack.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("indicator table: %v", err)
	}
	if f.Kind != tableKind {
		return nil, fmt.Errorf("indicator table: kind %q, want %q", f.Kind, tableKind)
	}
	if f.Schema != TableSchema {
		return nil, fmt.Errorf("indicator table: schema %d, want %d", f.Schema, TableSchema)
	}
	if sum, err := f.digest(); err != nil || sum != f.Checksum {
		return nil, fmt.Errorf("indicator table: checksum mismatch (damaged file)")
	}
	cfg, err := ParseConfig(f.Config)
	if err != nil {
		return nil, fmt.Errorf("indicator table: %v", err)
	}
	if cfg.Version() != f.ConfigVersion {
		return nil, fmt.Errorf("indicator table: config version %s does not match its config (%s)", f.ConfigVersion, cfg.Version())
	}
	if f.Rows != space.Size || len(f.Datasets) != int(tables.NumDatasets) {
		return nil, fmt.Errorf("indicator table: %d rows and %d datasets, want %d and %d", f.Rows, len(f.Datasets), space.Size, tables.NumDatasets)
	}
	t := &Table{config: cfg}
	for di, df := range f.Datasets {
		d := tables.Datasets()[di]
		if df.Name != d.String() {
			return nil, fmt.Errorf("indicator table: dataset %d is %q, want %q", di, df.Name, d)
		}
		if len(df.Columns) != len(Names()) {
			return nil, fmt.Errorf("indicator table: %v has %d columns, want %d", d, len(df.Columns), len(Names()))
		}
		td := &t.data[d]
		for k, c := range df.Columns {
			if c.Name != Names()[k] || len(c.Data) != 4*space.Size {
				return nil, fmt.Errorf("indicator table: %v column %d is %q with %d bytes, want %q with %d", d, k, c.Name, len(c.Data), Names()[k], 4*space.Size)
			}
			col := make([]float32, space.Size)
			for i := range col {
				col[i] = math.Float32frombits(binary.LittleEndian.Uint32(c.Data[4*i:]))
				if math.IsNaN(float64(col[i])) || math.IsInf(float64(col[i]), 0) {
					return nil, fmt.Errorf("indicator table: %v %s[%d] is %v", d, c.Name, i, col[i])
				}
			}
			td.cols[k] = col
		}
		if err := checkFusion(d, df.Fusion); err != nil {
			return nil, err
		}
		td.fusion, td.counts = df.Fusion, df.Counts
	}
	return t, nil
}

// Report is one network's indicators as the CLI and the page show them:
// every raw score by name, the names that got the defined worst score, and
// fi when cfg is the table's configuration (Note says why it is missing
// otherwise; tab may be nil).
type Report struct {
	Scores  map[string]float64 `json:"scores"`
	Invalid []string           `json:"invalid,omitempty"`
	Note    string             `json:"note,omitempty"`
}

// NewReport builds the Report of raw, computed at cfg for dataset d.
func NewReport(raw Raw, cfg Config, tab *Table, d tables.Dataset) Report {
	r := Report{Scores: map[string]float64{}}
	for k, name := range rawNames {
		r.Scores[name] = raw.Values[k]
		if raw.Invalid[k] {
			r.Invalid = append(r.Invalid, name)
		}
	}
	switch {
	case tab == nil:
		r.Note = "fi omitted: the indicator table is not loaded"
	case cfg.Version() != tab.Config().Version():
		r.Note = "fi omitted: the fusion is fitted on the table's configuration " + tab.Config().Version()
	default:
		r.Scores[FI] = tab.Fuse(d, raw)
		if r.Scores[FI] == Worst { // an input was worst
			r.Invalid = append(r.Invalid, FI)
		}
	}
	return r
}
