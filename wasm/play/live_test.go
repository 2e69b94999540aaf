package play

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/tables"
)

// liveEnv offers cj with the validation accuracy as its table column, so
// the test needs no indicator table.
func liveEnv(t *testing.T) Env {
	e := testEnv(t)
	base := e.Scores
	e.Indicators = append(e.Indicators, "cj")
	e.Scores = func(d tables.Dataset, name string) ([]float32, error) {
		if name == "cj" {
			return e.Tables.ValidAccs(d), nil
		}
		return base(d, name)
	}
	return e
}

func TestParseLive(t *testing.T) {
	e := liveEnv(t)
	q := "ds=cifar10&dev=pixel3&t=20&alpha=0.9&ind=cj&algo=rl&seed=3&ep=50&speed=3&live=1"
	s, notes := e.Parse(q)
	if len(notes) > 0 || !s.Live {
		t.Fatalf("live link: live %v, notices %v", s.Live, notes)
	}
	if s.Query() != q {
		t.Errorf("Query() = %q, want %q", s.Query(), q)
	}
	for _, c := range []struct{ query, says string }{
		{"ind=params&live=1", "params is read from the benchmark tables"},
		{"ind=cj&algo=oracle-score&live=1", "oracle-score scores by validation accuracy"},
		{"ind=cj&live=yes", "only live=1"},
	} {
		s, notes := e.Parse(c.query)
		if s.Live || len(notes) != 1 || notes[0].Param != "live" || !strings.Contains(notes[0].Message, c.says) {
			t.Errorf("%s: live %v, notices %v; want one live notice saying %q", c.query, s.Live, notes, c.says)
		}
	}
}

// TestLiveSession scores a session live with the table's own values: it
// must record exactly what Step records.
func TestLiveSession(t *testing.T) {
	e := liveEnv(t)
	s, _ := e.Parse("ds=cifar100&dev=raspi4&t=40&ind=cj&seed=9&ep=60&live=1")
	step := finished(t, e, s)
	live, err := e.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	col, _ := e.Scores(s.Dataset, s.Indicator)
	for {
		a, ok := live.Propose()
		if !ok {
			break
		}
		if _, _, err := live.Score(float64(col[e.Tables.Index(a)])); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(live.Points(), step.Points()) || live.Card() != step.Card() {
		t.Errorf("live session differs from Step's: card %+v, want %+v", live.Card(), step.Card())
	}
}
