package clv

import (
	"errors"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

// TestKPIAndCohortsUseTheWindow checks that the operating view takes the
// base's observation start (here detected: A and B were activated before the
// first transaction and nobody churned before it) and as-of day, caches its
// tables, and reports bad options and a missing export as such.
func TestKPIAndCohortsUseTheWindow(t *testing.T) {
	subs := subscribers(
		[2]dataset.Day{day(2022, 3, 10), dataset.NoDay},
		[2]dataset.Day{day(2022, 11, 1), day(2023, 2, 1)},
		[2]dataset.Day{day(2023, 1, 15), dataset.NoDay},
	)
	tx := transactions(txRow{"A", day(2023, 1, 1)}, txRow{"C", day(2023, 3, 10)}, txRow{"C", day(2023, 3, 31)})
	b, err := New(Data{Tx: tx, Subs: subs}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if b.Truncation().From != day(2023, 1, 1) || b.AsOf() != day(2023, 3, 31) {
		t.Fatalf("from %s as-of %s", b.Truncation().From, b.AsOf())
	}
	k, err := b.KPI(dataset.PeriodMonth, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 2022-03 .. 2022-12 are left out; January opens with A and B, adds C;
	// B churns on 02-01.
	if k.Skipped != 10 || k.Periods != 3 || k.Rows[0].OpeningBase != 2 || k.Rows[0].GrossAdds != 1 || k.Rows[1].Churners != 1 {
		t.Fatalf("skipped %d periods %d rows %+v", k.Skipped, k.Periods, k.Rows)
	}
	if again, _ := b.KPI(dataset.PeriodMonth, nil); again != k {
		t.Error("the table is computed twice")
	}
	c, err := b.Cohorts(dataset.PeriodMonth, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Only the January 2023 cohort (C) is reported: 2 anniversaries by 03-31;
	// 03-10 is in its second tenure month [02-15, 03-15), 03-31 in its third.
	if c.SkippedMembers != 2 || len(c.Cells) != 2 || c.Cells[1].Active != 1 || c.Cells[1].Revenue != 10 {
		t.Fatalf("cohorts %+v", c)
	}
	if _, err := b.KPI(dataset.PeriodMonth, []string{"plan"}); !errors.Is(err, ErrBadOption) {
		t.Errorf("unknown column: %v", err)
	}
	nb, err := New(Data{Tx: tx}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nb.Cohorts(dataset.PeriodMonth, nil); !errors.Is(err, ErrNoSubscribers) {
		t.Errorf("no subscribers: %v", err)
	}
}
