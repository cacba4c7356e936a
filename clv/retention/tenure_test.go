package retention

import (
	"fmt"
	"math"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func day(s string) dataset.Day {
	var y, m, d int
	if _, err := fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d); err != nil {
		panic(err)
	}
	return dataset.Civil(y, m, d)
}

func TestAddMonths(t *testing.T) {
	cases := []struct {
		from string
		k    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"},
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-01-31", 2, "2024-03-31"},
		{"2024-11-15", 3, "2025-02-15"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-01-15", -13, "2022-12-15"},
		{"2024-02-29", 12, "2025-02-28"},
	}
	for _, c := range cases {
		t.Run(c.from, func(t *testing.T) {
			if got := AddMonths(day(c.from), c.k); got != day(c.want) {
				t.Errorf("AddMonths(%s, %d) = %s, want %s", c.from, c.k, got, c.want)
			}
		})
	}
}

func TestComputeTenures(t *testing.T) {
	s := &dataset.Subscribers{
		ID: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"},
		Activation: []dataset.Day{
			day("2024-01-15"), day("2024-01-15"), day("2024-01-15"), day("2024-01-15"),
			day("2024-01-31"), day("2024-07-01"), day("2024-03-01"), dataset.NoDay, day("2024-01-15"),
		},
		Churn: []dataset.Day{
			day("2024-02-15"), // service Jan 15..Feb 14: exactly one period, lost in period 1
			day("2024-02-16"), // renewed on Feb 15, left the next day: period 2
			day("2024-01-15"), // churned on its activation day: period 1
			dataset.NoDay,     // active
			day("2024-08-01"), // churn after as-of: active at as-of
			dataset.NoDay,     // activated after as-of
			day("2024-02-01"), // churn before activation
			dataset.NoDay,
			day("2024-06-10"), // period 5 = [May 15, Jun 15)
		},
	}
	tn, err := ComputeTenures(s, TenureOptions{Period: dataset.PeriodMonth, AsOf: day("2024-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		st   Status
		p    int32
		frac float64
	}{
		{Churned, 1, 1}, {Churned, 2, 1}, {Churned, 1, 1},
		// d: active, period 6 = [Jun 15, Jul 15): observed Jun 15..Jun 30 = 16 of 30 days.
		{Active, 6, 16.0 / 30},
		// e: activated Jan 31; anniversaries Feb 29, Mar 31, Apr 30, May 31, Jun 30:
		// period 6 = [Jun 30, Jul 31), observed 1 of 31 days.
		{Active, 6, 1.0 / 31},
		{NotStarted, 0, 0}, {Invalid, 0, 0}, {NotStarted, 0, 0},
		{Churned, 5, 1},
	}
	for i, w := range want {
		if tn.Status[i] != w.st || tn.Period[i] != w.p || math.Abs(tn.Fraction[i]-w.frac) > 1e-12 {
			t.Errorf("%s: %v period %d fraction %g, want %v %d %g", s.ID[i], tn.Status[i], tn.Period[i], tn.Fraction[i], w.st, w.p, w.frac)
		}
	}
	if got := tn.Completed(3); got != 5 {
		t.Errorf("completed periods of d = %d, want 5", got)
	}
	// Quarterly tenure: d is in quarter 2 = [Apr 15, Jul 15).
	tq, _ := ComputeTenures(s, TenureOptions{Period: dataset.PeriodQuarter, AsOf: day("2024-06-30")})
	if tq.Period[3] != 2 || math.Abs(tq.Fraction[3]-77.0/91) > 1e-12 {
		t.Errorf("quarterly: period %d fraction %g", tq.Period[3], tq.Fraction[3])
	}
	a, c, ns, inv := tn.Count()
	if a != 2 || c != 4 || ns != 2 || inv != 1 {
		t.Errorf("counts %d %d %d %d", a, c, ns, inv)
	}
}

func TestLifeTable(t *testing.T) {
	// 100 subscribers: 20 lost in period 1, 10 in period 2, 5 in period 3;
	// 40 active in period 2 having seen half of it, 25 active in period 3
	// having seen all of it (f = 1).
	d := Durations{
		Churned:  []float64{20, 10, 5},
		Censored: []Censored{{Period: 2, Fraction: 0.5, Weight: 40}, {Period: 3, Fraction: 1, Weight: 25}},
	}
	rows := LifeTable(d)
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	// Period 1: at risk 100, exposure 100, r = 0.8.
	// Period 2: at risk 80, censored 40 at half exposure → exposure 60, r = 1 − 10/60.
	// Period 3: at risk 30, censored 25 fully exposed → exposure 30, r = 1 − 5/30.
	want := []LifeRow{
		{1, 100, 20, 0, 100, 0.8, 0.8},
		{2, 80, 10, 40, 60, 1 - 10.0/60, 0.8 * (1 - 10.0/60)},
		{3, 30, 5, 25, 30, 1 - 5.0/30, 0.8 * (1 - 10.0/60) * (1 - 5.0/30)},
	}
	for i, w := range want {
		g := rows[i]
		if g.Period != w.Period || g.AtRisk != w.AtRisk || g.Churned != w.Churned || g.Censored != w.Censored ||
			math.Abs(g.Exposure-w.Exposure) > 1e-12 || math.Abs(g.Retention-w.Retention) > 1e-12 || math.Abs(g.Survival-w.Survival) > 1e-12 {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	// A cohort whose survivors just renewed (f = 0 in the next period) adds no
	// exposure there, so the table stops at the last observed renewal.
	c, _ := Cohort(fhHighEnd)
	rows = LifeTable(c)
	if len(rows) != 7 || math.Abs(rows[6].Survival-0.491) > 1e-12 {
		t.Errorf("cohort life table: %d rows, S_7 = %g", len(rows), rows[len(rows)-1].Survival)
	}
}

func TestMargins(t *testing.T) {
	s := &dataset.Subscribers{
		ID:         []string{"old", "new", "gone", "later"},
		Activation: []dataset.Day{day("2023-01-10"), day("2024-05-20"), day("2023-06-01"), day("2024-08-01")},
		Churn:      []dataset.Day{dataset.NoDay, dataset.NoDay, day("2024-03-01"), dataset.NoDay},
	}
	tx := &dataset.Transactions{
		IDs:      []string{"old", "new", "gone", "stranger"},
		Customer: []int32{0, 0, 0, 0, 1, 1, 2, 3},
		Day: []dataset.Day{day("2024-03-31"), day("2024-04-01"), day("2024-05-15"), day("2024-06-30"),
			day("2024-05-20"), day("2024-06-20"), day("2024-02-01"), day("2024-06-01")},
		Amount: []float64{1000, 30, 30, 30, 40, 40, 99, 5},
	}
	subOf := []int32{0, 1, 2, -1}
	// Window of 3 months before 2024-06-30: [2024-04-01, 2024-07-01).
	got, err := Margins(tx, subOf, s, MarginOptions{Period: dataset.PeriodMonth, AsOf: day("2024-06-30"), Window: 3, Rate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	// old: 90 over 3 periods × 0.5 = 15. new: activated May 20, tenure periods
	// [May 20, Jun 20) and [Jun 20, Jul 20) overlap the window: 80/2 × 0.5 = 20.
	// gone: nothing in the window. later: not started.
	want := []float64{15, 20, 0, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("%s: margin %g, want %g", s.ID[i], got[i], want[i])
		}
	}
}
