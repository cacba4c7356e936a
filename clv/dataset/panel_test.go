package dataset

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPanelSparseEqualsDense: the sparse panel expands to the dense matrix
// accumulated directly here (spend and row counts per customer and period,
// rows outside the window skipped), for a window of 150 months (three bit
// words per customer), for quarters and for years (on several goroutines),
// with customers that never buy in the window; every stored cell has at
// least one row. The sums are equal, not close: each cell's amounts are
// added in row order.
func TestPanelSparseEqualsDense(t *testing.T) {
	defer func(n int) { panelMinCustomers = n }(panelMinCustomers)
	for _, pr := range []Period{PeriodMonth, PeriodQuarter, PeriodYear} {
		// Years: customer ranges on several goroutines (as many as
		// GOMAXPROCS allows, at least 50 customers each).
		panelMinCustomers = 100000
		if pr == PeriodYear {
			panelMinCustomers = 50
		}
		r := rand.New(rand.NewPCG(9, 10))
		const nc = 300
		tr := &Transactions{IDs: make([]string, nc)}
		start := Civil(2010, 1, 1)
		for i := range 20000 {
			c := r.IntN(nc - 20) // the last 20 customers never buy
			if i%7 == 0 {
				c = r.IntN(10) // a few heavy buyers
			}
			tr.Customer = append(tr.Customer, int32(c))
			tr.Day = append(tr.Day, start+Day(r.IntN(4700)))
			tr.Amount = append(tr.Amount, float64(r.IntN(10000))/100-5)
		}
		from, to := Civil(2010, 3, 15), Civil(2022, 6, 30)
		p, err := BuildPanel(tr, PanelOptions{Period: pr, From: from, AsOf: to})
		if err != nil {
			t.Fatal(err)
		}
		first := pr.Index(from)
		np := pr.Index(to) - first + 1
		if p.Periods != np || p.First != first || p.Customers != nc {
			t.Fatalf("%s: %d periods from %d, %d customers", pr, p.Periods, p.First, p.Customers)
		}
		spend := make([]float64, nc*np)
		count := make([]int32, nc*np)
		for i, c := range tr.Customer {
			d := tr.Day[i]
			if d < from || d > to {
				continue
			}
			k := int(c)*np + pr.Index(d) - first
			spend[k] += tr.Amount[i]
			count[k]++
		}
		var active int64
		for _, n := range count {
			if n > 0 {
				active++
			}
		}
		if p.Stored() != active {
			t.Errorf("%s: %d stored cells, %d customer-periods with a row", pr, p.Stored(), active)
		}
		var row []float64
		var cnt []int32
		for c := range nc {
			row, cnt = p.Row(c, row), p.Counts(c, cnt)
			for j := range np {
				// Same additions in the same row order: equal, not just close.
				if row[j] != spend[c*np+j] || cnt[j] != count[c*np+j] {
					t.Fatalf("%s: customer %d period %d: spend %v count %d, direct %v %d", pr, c, j, row[j], cnt[j], spend[c*np+j], count[c*np+j])
				}
				if k := p.Cell(c, j); (k >= 0) != (count[c*np+j] > 0) || (k >= 0 && p.Spend[k] != spend[c*np+j]) {
					t.Fatalf("%s: customer %d period %d: cell %d", pr, c, j, k)
				}
			}
		}
		if d := DensePanel(pr, first, np, nc, to, spend, count); d.Stored() != p.Stored() {
			t.Errorf("%s: DensePanel stores %d cells, BuildPanel %d", pr, d.Stored(), p.Stored())
		}
	}
}

// TestPanelTooLarge: over the memory limit the panel is refused before it
// is allocated, with what it needs, what is available, and the ways around
// it; within the limit it is built.
func TestPanelTooLarge(t *testing.T) {
	tr := synthetic(100000, true)
	p, err := BuildPanel(tr, PanelOptions{Period: PeriodMonth, AsOf: NoDay, From: NoDay})
	if err != nil {
		t.Fatal(err)
	}
	need := PanelBytes(p.Customers, p.Stored())
	if _, err := BuildPanel(tr, PanelOptions{Period: PeriodMonth, AsOf: NoDay, From: NoDay, MaxBytes: 2 * need}); err != nil {
		t.Fatalf("within the limit: %v", err)
	}
	_, err = BuildPanel(tr, PanelOptions{Period: PeriodMonth, AsOf: NoDay, From: NoDay, MaxBytes: need / 2})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"7142 customers × 24 months", FormatBytes(need / 2), "available", "--period", "examples/sql/panel", "--panel FILE", "--summary FILE"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if _, err := BuildPanel(tr, PanelOptions{Period: PeriodMonth, AsOf: NoDay, From: NoDay, MaxBytes: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("limit below the bit masks: %v", err)
	}
}
