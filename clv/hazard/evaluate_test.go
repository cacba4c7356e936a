package hazard

import (
	"math"
	"testing"
)

// Reference values below are computed by hand from the definitions.
func TestEvaluateHandCases(t *testing.T) {
	// Churners score 0.9 and 0.3; stayers 0.8, 0.2, 0.5. Of the 6
	// (churner, stayer) pairs the churner is higher in 4: AUC = 4/6.
	// Brier = (0.01 + 0.64 + 0.49 + 0.04 + 0.25) / 5 = 0.286.
	// Top 20% = ceil(1) subscriber (0.9, a churner): recall 1/2.
	score := []float64{0.9, 0.8, 0.3, 0.2, 0.5}
	churned := []bool{true, false, true, false, false}
	e, err := Evaluate(score, churned)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", name, got, want)
		}
	}
	check("AUC", e.AUC, 4.0/6)
	check("Brier", e.Brier, 0.286)
	check("churn rate", e.ChurnRate, 0.4)
	check("mean score", e.MeanScore, 0.54)
	check("recall at 5%", e.Recall[0].Recall, 0.5)
	check("recall at 20%", e.Recall[2].Recall, 0.5)
	n := 0
	for _, d := range e.Deciles {
		n += d.Subscribers
	}
	if n != 5 || e.Deciles[0].MaxScore != 0.9 || e.Deciles[len(e.Deciles)-1].MinScore != 0.2 {
		t.Errorf("deciles %+v", e.Deciles)
	}

	// Ties count one half: churner 0.5 vs stayers 0.5 (½) and 0.1 (1): 1.5/2.
	check("AUC with a tie", AUC([]float64{0.5, 0.5, 0.1}, []bool{true, false, false}), 0.75)
	// Perfect and reversed rankings.
	check("perfect AUC", AUC([]float64{3, 2, 1}, []bool{true, false, false}), 1)
	check("reversed AUC", AUC([]float64{1, 2, 3}, []bool{true, false, false}), 0)
	check("one class", AUC([]float64{1, 2}, []bool{false, false}), 0.5)
}

// TestEvaluateDeciles: 20 subscribers, scores 20..1, the top 4 churn: the
// first decile (scores 20, 19) has rate 1 and lift 1/0.2 = 5; recall at the
// top 10% (2 subscribers) is 2/4, at 20% 4/4.
func TestEvaluateDeciles(t *testing.T) {
	score := make([]float64, 20)
	churned := make([]bool, 20)
	for i := range score {
		score[i] = float64(20 - i)
		churned[i] = i < 4
	}
	e, err := Evaluate(score, churned)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Deciles) != 10 || e.Deciles[0].ChurnRate != 1 || e.Deciles[0].Lift != 5 || e.Deciles[2].Churned != 0 {
		t.Errorf("deciles %+v", e.Deciles)
	}
	if e.Recall[1].Recall != 0.5 || e.Recall[2].Recall != 1 || e.AUC != 1 {
		t.Errorf("recall %+v, AUC %g", e.Recall, e.AUC)
	}
	if _, err := Evaluate([]float64{math.NaN()}, []bool{true}); err == nil {
		t.Error("NaN score accepted")
	}
	if _, err := Evaluate(nil, nil); err == nil {
		t.Error("empty input accepted")
	}
}
