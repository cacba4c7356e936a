package retention

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func migrationPanel() *dataset.Panel {
	return dataset.DensePanel(dataset.PeriodMonth, 0, 4, 3, 0, []float64{
		10, 0, 5, 0, // bought in periods 1 and 3
		0, 20, 20, 20, // first purchase in period 2, then every period
		4, 0, 0, 0, // one purchase, then lapsed
	}, nil)
}

func TestFitMigration(t *testing.T) {
	m, err := FitMigration(migrationPanel(), MigrationOptions{States: 2, Discount: 0.1, MarginRate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	// Counted by hand: state 1 observed 5 times with a next period, 2
	// purchases; state 2 twice, 1 purchase; lapsed once, no comeback.
	if fmt.Sprint(m.AtRisk, m.Purchases, m.Customers) != "[5 2 1] [2 1 0] [1 1 1]" {
		t.Errorf("at risk %v purchases %v customers %v", m.AtRisk, m.Purchases, m.Customers)
	}
	if m.Probability[0] != 0.4 || m.Probability[1] != 0.5 || m.Comebacks != 0 {
		t.Errorf("probabilities %v comebacks %d", m.Probability, m.Comebacks)
	}
	// Solved by hand from E_j = β[p_j(1 + E_1) + (1 − p_j)E_{j+1}], E_lapsed = 0:
	// with A = β p_1 + β²(1 − p_1) p_2: E_1 = A/(1 − A), E_2 = β p_2/(1 − A).
	b := 1 / 1.1
	A := b*0.4 + b*b*0.6*0.5
	want := []float64{A / (1 - A), b * 0.5 / (1 - A), 0}
	for j, w := range want {
		if math.Abs(m.FuturePurchases[j]-w) > 1e-12 {
			t.Errorf("state %s: future purchases %.12g, want %.12g", m.States[j], m.FuturePurchases[j], w)
		}
	}
	if mm := 79.0 / 6 * 0.5; math.Abs(m.MeanMargin-mm) > 1e-12 || math.Abs(m.Value[0]-want[0]*mm) > 1e-12 {
		t.Errorf("mean margin %g value %v", m.MeanMargin, m.Value)
	}
	wantState := []int{1, 0, 2}
	wantValue := []float64{want[1] * 3.75, want[0] * 10, 0}
	for c := range wantState {
		if m.CustomerState[c] != wantState[c] || math.Abs(m.CustomerValue[c]-wantValue[c]) > 1e-12 {
			t.Errorf("customer %d: state %d value %g, want %d %g", c, m.CustomerState[c], m.CustomerValue[c], wantState[c], wantValue[c])
		}
	}
	// A finite horizon converges to the infinite one.
	h, err := FitMigration(migrationPanel(), MigrationOptions{States: 2, Discount: 0.1, MarginRate: 0.5, Horizon: 400})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(h.FuturePurchases[0]-want[0]) > 1e-9 {
		t.Errorf("horizon 400: %g, infinite %g", h.FuturePurchases[0], want[0])
	}
	h1, _ := FitMigration(migrationPanel(), MigrationOptions{States: 2, Discount: 0.1, MarginRate: 0.5, Horizon: 1})
	if math.Abs(h1.FuturePurchases[0]-b*0.4) > 1e-12 {
		t.Errorf("horizon 1: %g, want β p_1 = %g", h1.FuturePurchases[0], b*0.4)
	}
}

func TestFitMigrationErrors(t *testing.T) {
	if _, err := FitMigration(migrationPanel(), MigrationOptions{States: 6, Discount: 0.1, MarginRate: 1}); !errors.Is(err, ErrTooLittleData) {
		t.Errorf("unobserved state: %v", err)
	}
	if _, err := FitMigration(migrationPanel(), MigrationOptions{States: 2, Discount: 0, MarginRate: 1}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("infinite horizon without discount: %v", err)
	}
	one := dataset.DensePanel(dataset.PeriodMonth, 0, 1, 1, 0, []float64{3}, []int32{1})
	if _, err := FitMigration(one, MigrationOptions{States: 2, Discount: 0.1, MarginRate: 1}); !errors.Is(err, ErrNoTransitions) {
		t.Errorf("one period: %v", err)
	}
}
