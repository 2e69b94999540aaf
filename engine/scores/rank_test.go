package scores

import "testing"

func TestRanker(t *testing.T) {
	rk := NewRanker([]float32{5, 1, 3, 3})
	for _, c := range []struct{ v, want float64 }{
		{1, 1.0 / 4}, {3, 2.5 / 4}, {5, 4.0 / 4}, {0, 0.5 / 4}, {4, 3.5 / 4}, {9, 4.5 / 4},
	} {
		if got := rk.Rank(c.v); got != c.want {
			t.Errorf("Rank(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}
