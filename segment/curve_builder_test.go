package segment

import (
	"errors"
	"strings"
	"testing"
)

// TestCurveBuilderAdjacency: with subjects, a subject whose observations
// come back after another subject's is refused (the within aggregates close
// a subject when the next one starts); BuildCurve reorders such input
// itself and gives the curve of the adjacent order to 1e-9 relative.
func TestCurveBuilderAdjacency(t *testing.T) {
	b, err := NewCurveBuilder(CurveBuilderOptions{Subjects: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		subject int32
		tenure  int32
	}{{1, 0}, {1, 1}, {2, 0}} {
		if err := b.Add(o.tenure, 10, 0, o.subject, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Add(2, 10, 0, 1, 0); err == nil || !strings.Contains(err.Error(), "not adjacent") {
		t.Fatalf("subject 1 again after subject 2: %v", err)
	}

	ten, spend, subj, seas := withinData(2000, 12, false, 21)
	adjacent, err := BuildCurve(ten, spend, CurveOptions{Subject: subj, Season: seas, Seasons: 12})
	if err != nil {
		t.Fatal(err)
	}
	// Interleave: odd observations first, then even ones.
	var t2 []int32
	var s2 []float64
	var j2 []int32
	var e2 []int8
	for _, parity := range []int{1, 0} {
		for i := range ten {
			if i%2 == parity {
				t2, s2, j2, e2 = append(t2, ten[i]), append(s2, spend[i]), append(j2, subj[i]), append(e2, seas[i])
			}
		}
	}
	mixed, err := BuildCurve(t2, s2, CurveOptions{Subject: j2, Season: e2, Seasons: 12})
	if err != nil {
		t.Fatal(err)
	}
	if !adjacent.HasWithin || !mixed.HasWithin {
		t.Fatal("no within curve")
	}
	for k, p := range adjacent.Points {
		q := mixed.Points[k]
		if p.Tenure != q.Tenure || !close(p.Within, q.Within, 1e-9) || !close(p.Mean, q.Mean, 1e-12) {
			t.Errorf("tenure %d: within %.12g vs %.12g, mean %.12g vs %.12g", p.Tenure, p.Within, q.Within, p.Mean, q.Mean)
		}
	}
	if _, err := NewCurveBuilder(CurveBuilderOptions{Quantiles: []float64{1.5}}); !errors.Is(err, ErrRules) {
		t.Errorf("quantile 1.5: %v", err)
	}
}
