package search

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/reward"
)

// TestProposeScoreIsStep runs every algorithm that takes scores twice: with
// Step, and with Propose then Score given the table's own value, as live
// scoring does when the live value reproduces the table. The events and
// the result must be identical.
func TestProposeScoreIsStep(t *testing.T) {
	tab := load(t)
	for _, algo := range []string{RL, ScoreOnly, Random, Evolution} {
		c := DefaultConfig()
		c.Algo, c.Episodes, c.Seed = algo, 120, 5
		scores := tab.FlopsM(c.Dataset)
		want, wantRes := runAll(t, c, scores)
		r, err := New(c, tab, scores)
		if err != nil {
			t.Fatal(err)
		}
		var got []Event
		for {
			a, ok := r.Propose()
			if !ok {
				break
			}
			if again, _ := r.Propose(); again != a {
				t.Fatalf("%s: a second Propose gave %v, then %v", algo, a, again)
			}
			e, err := r.Score(float64(scores[tab.Index(a)]))
			if err != nil {
				t.Fatal(err)
			}
			e.Probs = nil
			got = append(got, e)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Propose+Score events differ from Step's", algo)
		}
		if res := r.Result(); !reflect.DeepEqual(res, wantRes) && !(math.IsNaN(res.Regret) && math.IsNaN(wantRes.Regret)) {
			t.Errorf("%s: result %+v, Step gives %+v", algo, res, wantRes)
		}
	}
}

// TestScoreNormalization gives live values that differ from the table's and
// checks each normalized score against reward.Rank of the column with the
// network's entry replaced, and that the caller's scores are left alone.
func TestScoreNormalization(t *testing.T) {
	tab := load(t)
	c := DefaultConfig()
	c.Algo, c.Episodes = Random, 40
	scores := tab.ParamsM(c.Dataset)
	orig := slices.Clone(scores)
	r, err := New(c, tab, scores)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; ; k++ {
		a, ok := r.Propose()
		if !ok {
			break
		}
		i := tab.Index(a)
		// Another network's value (a tie), or one between two values.
		v := float64(scores[(i+7919*k)%len(scores)])
		if k%2 == 1 {
			v += 1e-3
		}
		e, err := r.Score(v)
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Clone(orig)
		col[i] = float32(v)
		want, err := reward.Rank(col)
		if err != nil {
			t.Fatal(err)
		}
		if e.ScoreNorm != want.Norm[i] || e.Score != float64(float32(v)) {
			t.Errorf("episode %d, index %d, live %v: score %v norm %v, want %v norm %v", k, i, v, e.Score, e.ScoreNorm, float32(v), want.Norm[i])
		}
		if res := r.Result(); res.Index == i && res.Score != e.Score {
			t.Errorf("episode %d: the pick's score %v is not its live value %v", k, res.Score, e.Score)
		}
	}
	if !slices.Equal(scores, orig) {
		t.Error("live scores changed the caller's score vector")
	}
}

func TestScoreErrors(t *testing.T) {
	tab := load(t)
	c := DefaultConfig()
	c.Episodes = 3
	r, err := New(c, tab, tab.ParamsM(c.Dataset))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Score(1); err == nil {
		t.Error("Score before Propose: no error")
	}
	r.Propose()
	if _, err := r.Score(math.NaN()); err == nil {
		t.Error("NaN score: no error")
	}
	// Beyond float32, refused without ending the episode: the next valid
	// score ends it as the first episode.
	for _, v := range []float64{math.Inf(1), 1e39, -1e39} {
		if _, err := r.Score(v); err == nil || !strings.Contains(err.Error(), "outside the float32 range") {
			t.Errorf("score %g: %v", v, err)
		}
	}
	if e, err := r.Score(2); err != nil || e.Episode != 0 {
		t.Errorf("a valid score after the refused ones: episode %d, %v", e.Episode, err)
	}
	c.Algo = OracleScore
	o, err := New(c, tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Propose()
	if _, err := o.Score(1); err == nil {
		t.Error("oracle-score took a live score")
	}
}
