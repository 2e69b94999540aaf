package rank

import "testing"

func TestMid(t *testing.T) {
	got := Mid([]float32{3, 1, 3, 2, 3, -5})
	// Sorted: -5 (rank 1), 1 (2), 2 (3), then 3 3 3 spanning ranks 4..6 → 5.
	want := []float64{5, 2, 5, 3, 5, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Mid = %v, want %v", got, want)
		}
	}
	if got := Mid([]float64{}); len(got) != 0 {
		t.Fatalf("Mid of nothing = %v", got)
	}
	all := Mid([]float64{7, 7, 7, 7})
	for _, r := range all {
		if r != 2.5 {
			t.Fatalf("all tied: %v, want 2.5 each", all)
		}
	}
}
