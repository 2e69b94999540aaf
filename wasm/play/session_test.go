package play

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

func TestSession(t *testing.T) {
	e := testEnv(t)
	s, notes := e.Parse("ds=cifar100&dev=raspi4&t=30&ind=flops&algo=rl&seed=3&ep=60")
	if len(notes) > 0 {
		t.Fatal(notes)
	}
	run := func() *Session {
		sess, err := e.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		for {
			p, probs, ok := sess.Step()
			if !ok {
				break
			}
			if len(probs) != 6 {
				t.Fatalf("episode %d: %d decisions' probabilities, want 6", p.Episode, len(probs))
			}
			if want := e.Tables.TestAccs(tables.CIFAR100)[p.Index]; p.TestAcc != want || p.Arch != e.Tables.Arch(p.Index).String() {
				t.Fatalf("episode %d: point %+v does not match the tables", p.Episode, p)
			}
		}
		return sess
	}
	a, b := run(), run()
	if len(a.Points()) != 60 || !a.Done() {
		t.Fatalf("%d points, done %v", len(a.Points()), a.Done())
	}
	ca, cb := a.Card(), b.Card()
	if ca != cb {
		t.Fatalf("same seed, different cards:\n%+v\n%+v", ca, cb)
	}
	r := a.Result()
	i := r.Index
	if !ca.Found || ca.Arch != e.Tables.Arch(i).String() || ca.Index != i {
		t.Fatalf("card %+v for result %+v", ca, r)
	}
	// Table values are printed exactly: they read back as the same float32.
	for name, c := range map[string]struct {
		printed string
		col     []float32
	}{
		"test acc": {ca.TestAcc, e.Tables.TestAccs(tables.CIFAR100)},
		"latency":  {ca.LatencyMs, e.Tables.Latencies(tables.CIFAR100, tables.Raspi4)},
		"params":   {ca.ParamsM, e.Tables.ParamsM(tables.CIFAR100)},
		"flops":    {ca.FlopsM, e.Tables.FlopsM(tables.CIFAR100)},
	} {
		v, err := strconv.ParseFloat(c.printed, 32)
		if err != nil || float32(v) != c.col[i] {
			t.Errorf("%s printed %q, table has %v", name, c.printed, c.col[i])
		}
	}
	if ca.EnergyMJ != "" {
		t.Errorf("Raspberry Pi 4 has no energy data, card shows %q", ca.EnergyMJ)
	}
	o := tables.Best(e.Tables.Latencies(tables.CIFAR100, tables.Raspi4), 30, e.Tables.TestAccs(tables.CIFAR100))
	if ca.Feasible != o.Feasible || ca.OracleIndex != o.Index || ca.OracleTestAcc != Exact(float64(e.Tables.TestAccs(tables.CIFAR100)[o.Index])) {
		t.Errorf("card oracle %d/%d/%s, tables %+v", ca.Feasible, ca.OracleIndex, ca.OracleTestAcc, o)
	}
	if ca.Paper != "" {
		t.Errorf("the paper has no flops row, card shows %q", ca.Paper)
	}
	// The score's own best: the most FLOPs under T (ties by latency).
	flops, lat := e.Tables.FlopsM(tables.CIFAR100), e.Tables.Latencies(tables.CIFAR100, tables.Raspi4)
	if k := ca.ScoreBestIndex; k < 0 || lat[k] > 30 || ca.ScoreBestTestAcc != Exact(float64(e.Tables.TestAccs(tables.CIFAR100)[k])) || ca.ScoreBestCost != Exact(float64(lat[k])) {
		t.Errorf("card's score best #%d (%s %%, %s ms)", k, ca.ScoreBestTestAcc, ca.ScoreBestCost)
	} else {
		for j := range flops {
			if lat[j] <= 30 && (flops[j] > flops[k] || flops[j] == flops[k] && lat[j] < lat[k]) {
				t.Errorf("card's score best #%d (%v M FLOPs), but #%d has %v M under T", k, flops[k], j, flops[j])
				break
			}
		}
	}

	rows, err := csv.NewReader(bytes.NewReader(a.CSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 61 || rows[0][0] != "episode" || rows[60][2] != a.Points()[59].Arch {
		t.Errorf("CSV has %d rows; last %v", len(rows), rows[len(rows)-1])
	}
	j, err := a.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Export
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	done := s
	done.Run = true // a finished run's link runs it again, as the page's URL does
	if back.Card != ca || len(back.Episodes) != 60 || back.Query != done.Query() || back.Indicator != s.Indicator {
		t.Errorf("JSON export does not read back: %+v", back.Card)
	}
	if !bytes.Contains(j, []byte(`"query": "ds=cifar100&dev=raspi4&`)) || !bytes.Contains(j, []byte(`"Dataset": "cifar100",`)) || !bytes.Contains(j, []byte(`"Objective": "latency",`)) {
		t.Errorf("JSON export's query or config is not written as text:\n%.400s", j)
	}
	if back.Config != s.Config() {
		t.Errorf("JSON export's config reads back as %+v, want %+v", back.Config, s.Config())
	}
	if restored, notes := e.Parse(back.Query); restored != done || len(notes) > 0 {
		t.Errorf("export's query restores %+v %v, want %+v", restored, notes, done)
	}
}

// The export's query says run=1 exactly when the run is done, as the
// page's URL does, whether or not the page was opened with run=1.
func TestExportQueryRun(t *testing.T) {
	e := testEnv(t)
	for _, opened := range []bool{false, true} {
		s, _ := e.Parse("ind=params&ep=5")
		s.Run = opened
		sess, err := e.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		for range 6 { // before each episode, and once done
			var q Export
			j, _ := sess.JSON()
			if err := json.Unmarshal(j, &q); err != nil {
				t.Fatal(err)
			}
			if got := strings.HasSuffix(q.Query, "&run=1"); got != sess.Done() {
				t.Errorf("opened with run=%v, %d episodes: export's query %q", opened, len(sess.Points()), q.Query)
			}
			sess.Step()
		}
	}
}

// finished starts a session of s and steps it to the end.
func finished(t *testing.T, e Env, s State) *Session {
	t.Helper()
	sess, err := e.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, _, ok := sess.Step(); ok; _, _, ok = sess.Step() {
	}
	return sess
}

// An unknown latency (Edge TPU has none for 4,699 networks) is null in the
// JSON export and an empty cell in the CSV, never 0.
func TestUnknownLatencyExport(t *testing.T) {
	e := testEnv(t)
	s, _ := e.Parse("dev=edgetpu&t=2&ind=params&algo=random&ep=40")
	sess := finished(t, e, s)
	j, err := sess.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Episodes []map[string]any `json:"episodes"`
	}
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(sess.CSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "latency_ms")
	unknown := 0
	lat := e.Tables.Latencies(tables.CIFAR10, tables.EdgeTPU)
	for k, ep := range back.Episodes {
		cost, present := ep["cost"]
		if !present {
			t.Fatalf("episode %d has no cost: %v", k, ep)
		}
		if _, known := tables.Value(lat, sess.Points()[k].Index); known {
			if _, ok := cost.(float64); !ok {
				t.Errorf("episode %d: known latency exported as %v", k, cost)
			}
			continue
		}
		unknown++
		if cost != nil || rows[k+1][col] != "" {
			t.Errorf("episode %d: unknown latency exported as %v (JSON) and %q (CSV)", k, cost, rows[k+1][col])
		}
	}
	if unknown == 0 {
		t.Fatal("40 random Edge TPU episodes, none with an unknown latency")
	}
}

func TestPaperCell(t *testing.T) {
	e := testEnv(t)
	e.Indicators = append(e.Indicators, "fi")
	e.Scores = func(d tables.Dataset, name string) ([]float32, error) { return e.Tables.ValidAccs(d), nil }
	s, _ := e.Parse("ds=cifar100&dev=pixel3&ind=fi&ep=5")
	sess, err := e.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	c := sess.Card()
	if c.Paper != "72.11 % / 17.73 ms" || c.PaperNote == "" || c.Done {
		t.Errorf("paper cell %q (%q), done %v", c.Paper, c.PaperNote, c.Done)
	}
	// No Table 1 number where the search does not score by the indicator
	// (oracle-score) or budgets energy: the paper's numbers bound latency.
	for _, q := range []string{"ds=cifar100&dev=pixel3&ind=fi&algo=oracle-score&ep=5", "ds=cifar100&dev=edgegpu&obj=energy&t=20&ind=fi&ep=5"} {
		s, notes := e.Parse(q)
		if len(notes) > 0 {
			t.Fatalf("%s: %v", q, notes)
		}
		if _, _, ok := s.Paper(); ok {
			t.Errorf("%s: a paper number", q)
		}
		sess, err := e.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		if c := sess.Card(); c.Paper != "" {
			t.Errorf("%s: card shows paper %q", q, c.Paper)
		}
	}
}

// BenchmarkSession500 is the page's "Run to end" without the page: a
// 500-episode rl search with the card and the exported JSON the page gets.
// Under GOOS=js GOARCH=wasm (in Node) it measures what the browser runs.
func BenchmarkSession500(b *testing.B) {
	e := testEnv(b)
	s, _ := e.Parse("ds=cifar10&dev=pixel3&t=20&ind=params&algo=rl&seed=4&ep=500")
	for b.Loop() {
		sess, err := e.Start(s)
		if err != nil {
			b.Fatal(err)
		}
		var pts []search.Point
		for p, _, ok := sess.Step(); ok; p, _, ok = sess.Step() {
			pts = append(pts, p)
		}
		if _, err := json.Marshal(stepPayload{pts, sess.Card()}); err != nil {
			b.Fatal(err)
		}
	}
}

// stepPayload is the shape of what the bridge returns for a whole run.
type stepPayload struct {
	Points []search.Point `json:"points"`
	Card   Card           `json:"card"`
}

// Exact prints what "nasplay search --json" prints for the same float32,
// exponent forms included (os scores are around 1e-5).
func TestExact(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{94.20667, "94.20667"}, {-2.2317467e-05, "-2.2317467e-05"}, {0.0112835, "0.0112835"},
		{-3.4028235e+38, "-3.4028235e+38"}, {1234567, "1.234567e+06"}, {math.NaN(), "—"},
	} {
		if got := Exact(c.x); got != c.want {
			t.Errorf("Exact(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

// Under the energy objective every episode's cost is its energy, the pick
// meets the energy target, and the card, the oracle and the exports speak
// of energy, with the latency still shown.
func TestEnergySession(t *testing.T) {
	e := testEnv(t)
	s, notes := e.Parse("ds=cifar10&dev=fpga&obj=energy&t=25&ind=params&algo=evolution&seed=2&ep=200")
	if len(notes) > 0 {
		t.Fatal(notes)
	}
	sess, err := e.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	en, lat := e.Tables.Energies(tables.CIFAR10, tables.FPGA), e.Tables.Latencies(tables.CIFAR10, tables.FPGA)
	for p, _, ok := sess.Step(); ok; p, _, ok = sess.Step() {
		if p.Cost == nil || *p.Cost != en[p.Index] {
			t.Fatalf("episode %d: cost %v, energy %v", p.Episode, p.Cost, en[p.Index])
		}
	}
	c := sess.Card()
	i := c.Index
	if c.Objective != "energy" || !c.MeetsTarget || en[i] > 25 || c.Cost != Exact(float64(en[i])) || c.EnergyMJ != c.Cost || c.LatencyMs != Exact(float64(lat[i])) {
		t.Errorf("card %+v: pick #%d has energy %v, latency %v", c, i, en[i], lat[i])
	}
	o := tables.Best(en, 25, e.Tables.TestAccs(tables.CIFAR10))
	f := e.Feasible(tables.CIFAR10, tables.FPGA, tables.Energy, 25)
	if c.OracleIndex != o.Index || c.Feasible != o.Feasible || c.OracleCost != Exact(float64(en[o.Index])) ||
		f.Count != o.Feasible || f.OracleIndex != o.Index || f.OracleCost != c.OracleCost {
		t.Errorf("card oracle #%d of %d (%s mJ), slider's %+v; tables #%d of %d", c.OracleIndex, c.Feasible, c.OracleCost, f, o.Index, o.Feasible)
	}
	if lo := tables.Best(e.Tables.Latencies(tables.CIFAR10, tables.FPGA), 25, e.Tables.TestAccs(tables.CIFAR10)); lo.Feasible == o.Feasible {
		t.Errorf("25 ms and 25 mJ admit the same %d networks: the objective made no difference", o.Feasible)
	}
	// The score's own best: the most parameters within 25 mJ.
	pm, k := e.Tables.ParamsM(tables.CIFAR10), c.ScoreBestIndex
	if en[k] > 25 || c.ScoreBestCost != Exact(float64(en[k])) {
		t.Errorf("score's best #%d: energy %v, printed %s", k, en[k], c.ScoreBestCost)
	}
	for j := range pm {
		if en[j] <= 25 && pm[j] > pm[k] {
			t.Errorf("score's best #%d has %v M params, #%d has %v M within 25 mJ", k, pm[k], j, pm[j])
			break
		}
	}
	if c.PaperNote != "" {
		t.Errorf("the paper has no FPGA cell, card notes %q", c.PaperNote)
	}
	rows, err := csv.NewReader(bytes.NewReader(sess.CSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if k := slices.Index(rows[0], "energy_mj"); k < 0 || rows[1][k] != Exact(float64(en[sess.Points()[0].Index])) {
		t.Errorf("CSV header %v, first row %v", rows[0], rows[1])
	}
}

// The JSON export names what the search scored by, as the CLI does:
// oracle-score scores by validation accuracy whatever the link's ind.
func TestExportScoreName(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct{ query, want string }{
		{"ind=flops&algo=oracle-score&ep=5", "valid_acc"},
		{"ind=flops&algo=rl&ep=5", "flops"},
	} {
		s, _ := e.Parse(c.query)
		j, err := finished(t, e, s).JSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Export
		if err := json.Unmarshal(j, &back); err != nil || back.Indicator != c.want {
			t.Errorf("%s: export's indicator %q (%v), want %q", c.query, back.Indicator, err, c.want)
		}
	}
}

// The search a state stands for carries every one of its settings, and the
// engine's defaults for the rest.
func TestConfigCarriesState(t *testing.T) {
	e := testEnv(t)
	s, notes := e.Parse("ds=cifar100&dev=eyeriss&obj=energy&t=1.234&alpha=0.35&ind=flops&algo=evolution&seed=77&ep=321")
	if len(notes) > 0 {
		t.Fatal(notes)
	}
	want := search.DefaultConfig()
	want.Dataset, want.Device, want.Objective, want.Target, want.Alpha = tables.CIFAR100, tables.Eyeriss, tables.Energy, 1.234, 0.35
	want.Algo, want.Seed, want.Episodes = "evolution", 77, 321
	if got := s.Config(); got != want {
		t.Errorf("Config() = %+v, want %+v", got, want)
	}
}

// oracle-score scores by validation accuracy: its session asks for no
// indicator scores, and the card's "score's own best" is the most accurate
// network (by validation accuracy) under T.
func TestOracleScoreSession(t *testing.T) {
	e := testEnv(t)
	e.Scores = func(d tables.Dataset, name string) ([]float32, error) {
		return nil, fmt.Errorf("no scores for %s", name)
	}
	s, notes := e.Parse("ds=cifar100&dev=raspi4&t=30&ind=flops&algo=oracle-score&ep=5")
	if len(notes) > 0 {
		t.Fatal(notes)
	}
	sess, err := e.Start(s)
	if err != nil {
		t.Fatalf("oracle-score session: %v", err)
	}
	lat := e.Tables.Latencies(tables.CIFAR100, tables.Raspi4)
	b := tables.Best(lat, 30, e.Tables.ValidAccs(tables.CIFAR100))
	if c := sess.Card(); c.ScoreBestIndex != b.Index || c.ScoreBestCost != Exact(float64(lat[b.Index])) {
		t.Errorf("oracle-score's own best #%d (%s ms), want the best validation accuracy under T, #%d", c.ScoreBestIndex, c.ScoreBestCost, b.Index)
	}
}

// The card says whether the run is the paper's setting, for which the
// paper's Table 1 number stands, or differs from it.
func TestPaperNote(t *testing.T) {
	e := testEnv(t)
	e.Indicators = append(e.Indicators, "fi")
	e.Scores = func(d tables.Dataset, name string) ([]float32, error) { return e.Tables.ValidAccs(d), nil }
	for q, want := range map[string]string{
		"ds=cifar100&dev=pixel3&ind=fi":        "this setting, mean of 50 seeds",
		"ds=cifar100&dev=pixel3&ind=fi&ep=499": "this run differs",
		"ds=cifar100&dev=pixel3&ind=fi&t=19":   "this run differs",
	} {
		s, _ := e.Parse(q)
		sess, err := e.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		if c := sess.Card(); !strings.Contains(c.PaperNote, want) {
			t.Errorf("%s: paper note %q, want it to say %q", q, c.PaperNote, want)
		}
	}
}

// A pick whose score is undefined (the worst score) shows words, not the
// sentinel.
func TestCardWorstScore(t *testing.T) {
	e := testEnv(t)
	e.Scores = func(d tables.Dataset, name string) ([]float32, error) {
		col := make([]float32, e.Tables.Len())
		for i := range col {
			col[i] = scores.Worst
		}
		return col, nil
	}
	s, _ := e.Parse("ind=params&algo=random&ep=5")
	c := finished(t, e, s).Card()
	if !c.Found || c.Score != "worst (undefined for this network)" {
		t.Errorf("card score %q (found %v), want the worst score in words", c.Score, c.Found)
	}
}

// Score without a proposed network is an error and records nothing.
func TestScoreWithoutPropose(t *testing.T) {
	e := liveEnv(t)
	s, _ := e.Parse("ind=cj&ep=5&live=1")
	sess, err := e.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := sess.Score(0.5); err == nil || len(sess.Points()) != 0 {
		t.Errorf("Score before Propose: error %v, %d points recorded", err, len(sess.Points()))
	}
}
