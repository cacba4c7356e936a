package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
)

func day(s string) dataset.Day {
	if s == "" {
		return dataset.NoDay
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return dataset.DayOf(t)
}

// subscribers builds a subscriber table from (id, activation, churn, plan) quadruples.
func subscribers(rows ...string) *dataset.Subscribers {
	s := &dataset.Subscribers{AttrNames: []string{"plan"}, Attrs: [][]string{nil}}
	for i := 0; i < len(rows); i += 4 {
		s.ID = append(s.ID, rows[i])
		s.Activation = append(s.Activation, day(rows[i+1]))
		s.Churn = append(s.Churn, day(rows[i+2]))
		s.Attrs[0] = append(s.Attrs[0], rows[i+3])
	}
	return s
}

// transactions builds a transaction table from (id, date, amount) triples and
// joins it to subs.
func transactions(t *testing.T, subs *dataset.Subscribers, rows ...any) (*dataset.Transactions, []int32) {
	t.Helper()
	tx := &dataset.Transactions{}
	idx := map[string]int32{}
	for i := 0; i < len(rows); i += 3 {
		id := rows[i].(string)
		c, ok := idx[id]
		if !ok {
			c = int32(len(tx.IDs))
			idx[id] = c
			tx.IDs = append(tx.IDs, id)
		}
		tx.Customer = append(tx.Customer, c)
		tx.Day = append(tx.Day, day(rows[i+1].(string)))
		tx.Amount = append(tx.Amount, rows[i+2].(float64))
	}
	subOf, err := dataset.Join(tx, subs)
	if err != nil {
		t.Fatal(err)
	}
	return tx, subOf
}

// handBase is a small base whose movement was counted by hand (see each row's comment).
func handBase(t *testing.T) (*dataset.Subscribers, *dataset.Transactions, []int32) {
	subs := subscribers(
		"A", "2024-01-01", "2024-01-31", "prepaid", // activation on the first, churn on the last day of January
		"B", "2024-01-31", "", "prepaid", // activation on the last day of January
		"C", "2024-02-10", "2024-02-20", "postpaid", // activation and churn in February
		"D", "2024-01-15", "2024-03-01", "postpaid", // churn on the first day of March: in March's opening base
		"E", "2024-02-01", "2024-01-20", "postpaid", // churn before activation: invalid, left out
		"F", "2024-05-01", "", "postpaid", // activated after the as-of date
		"G", "2024-03-31", "2024-04-15", "postpaid", // churn after the as-of date: still active
	)
	tx, subOf := transactions(t, subs,
		"A", "2024-01-05", 10.0,
		"B", "2024-01-31", 5.0,
		"X", "2024-01-10", 100.0, // not a subscriber
		"B", "2024-02-01", -5.0, // a credit note: B's February sums to -2, not a payer
		"D", "2024-03-05", 20.0, // final bill after churn: revenue of March
		"B", "2024-02-15", 3.0,
		"G", "2024-04-02", 7.0, // after the as-of date
		"C", "2024-02-10", 4.0,
	)
	return subs, tx, subOf
}

func TestMovementsHandBuilt(t *testing.T) {
	subs, tx, subOf := handBase(t)
	tab, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: day("2024-03-31"), From: dataset.NoDay})
	if err != nil {
		t.Fatal(err)
	}
	// Counted by hand from handBase.
	want := []Movement{
		{Period: day("2024-01-01"), OpeningBase: 0, GrossAdds: 3, Churners: 1, NetAdds: 2, ClosingBase: 2,
			ChurnRate: 1, Revenue: 15, ARPU: 15, ARPPU: 7.5, PayingShare: 2, NewARPU: 5, Payers: 2, NewRevenue: 15},
		{Period: day("2024-02-01"), OpeningBase: 2, GrossAdds: 1, Churners: 1, NetAdds: 0, ClosingBase: 2,
			ChurnRate: 0.5, Revenue: 2, ARPU: 1, ARPPU: 2, PayingShare: 0.5, NewARPU: 4, Payers: 1, NewRevenue: 4},
		{Period: day("2024-03-01"), OpeningBase: 2, GrossAdds: 1, Churners: 1, NetAdds: 0, ClosingBase: 2,
			ChurnRate: 0.5, Revenue: 20, ARPU: 10, ARPPU: 20, PayingShare: 0.5, NewARPU: 0, Payers: 1, NewRevenue: 0},
	}
	if len(tab.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(want))
	}
	for i, w := range want {
		if tab.Rows[i] != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, tab.Rows[i], w)
		}
	}
	left := Rows{Invalid: 1, NotStarted: 1, UnmatchedTransactions: 1, UnmatchedRevenue: 100, LateTransactions: 1}
	if tab.Left != left {
		t.Errorf("left %+v, want %+v", tab.Left, left)
	}
	if tab.Partial || tab.Skipped != 0 || tab.Periods != 3 {
		t.Errorf("partial %v skipped %d periods %d", tab.Partial, tab.Skipped, tab.Periods)
	}
}

func TestMovementsGroupsAddUp(t *testing.T) {
	subs, tx, subOf := handBase(t)
	for _, p := range []dataset.Period{dataset.PeriodMonth, dataset.PeriodQuarter} {
		tab, err := Movements(subs, tx, subOf, Options{Period: p, AsOf: day("2024-03-20"), From: dataset.NoDay, By: []string{"plan"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Groups) != 2 || tab.Groups[0] != "postpaid" || !tab.Partial {
			t.Fatalf("groups %v partial %v", tab.Groups, tab.Partial)
		}
		np := tab.Periods
		for i := range np {
			whole, a, b := tab.Rows[i], tab.Rows[np+i], tab.Rows[2*np+i]
			if a.Group != "postpaid" || b.Group != "prepaid" {
				t.Fatalf("groups %q %q", a.Group, b.Group)
			}
			for _, c := range [][3]int64{{whole.OpeningBase, a.OpeningBase, b.OpeningBase}, {whole.GrossAdds, a.GrossAdds, b.GrossAdds},
				{whole.Churners, a.Churners, b.Churners}, {whole.ClosingBase, a.ClosingBase, b.ClosingBase}, {whole.Payers, a.Payers, b.Payers}} {
				if c[0] != c[1]+c[2] {
					t.Errorf("%s period %d: whole %d != %d + %d", p, i, c[0], c[1], c[2])
				}
			}
			if math.Abs(whole.Revenue-a.Revenue-b.Revenue) > 1e-12 {
				t.Errorf("%s period %d: revenue %v != %v + %v", p, i, whole.Revenue, a.Revenue, b.Revenue)
			}
		}
	}
	// G churned 2024-04-15 and is active at 2024-03-20: postpaid closing base = G only.
	tab, _ := Movements(subs, tx, subOf, Options{Period: dataset.PeriodQuarter, AsOf: day("2024-03-31"), From: dataset.NoDay, By: []string{"plan"}})
	if got := tab.Rows[1]; got.ClosingBase != 1 || got.GrossAdds != 3 || got.Churners != 2 {
		t.Errorf("postpaid Q1 %+v", got)
	}
	if _, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: day("2024-03-31"), From: dataset.NoDay, By: []string{"region"}}); err == nil {
		t.Error("unknown --by column accepted")
	}
}

// truncatedBase is an export holding only the subscribers in service on
// 2023-01-01: three activated earlier (one churns on that very day: it is in
// January's opening base and among its churners), none churned before,
// transactions from that day.
func truncatedBase(t *testing.T) (*dataset.Subscribers, *dataset.Transactions, []int32) {
	subs := subscribers(
		"old1", "2021-06-10", "", "p",
		"old2", "2022-11-30", "2023-02-14", "p",
		"old3", "2022-05-05", "2023-01-01", "p",
		"new1", "2023-01-01", "", "p",
		"new2", "2023-02-28", "2023-03-01", "p",
	)
	tx, subOf := transactions(t, subs, "old1", "2023-01-01", 1.0, "new1", "2023-03-05", 2.0)
	return subs, tx, subOf
}

func TestMovementsTruncated(t *testing.T) {
	subs, tx, subOf := truncatedBase(t)
	asOf := day("2023-03-31")
	// Without an observation start, 2021-06 .. 2022-12 would be reported with
	// no churners at all.
	all, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: asOf, From: dataset.NoDay})
	if err != nil {
		t.Fatal(err)
	}
	if all.Periods != 22 || all.First != day("2021-06-01") || all.Rows[19].OpeningBase != 3 || all.Rows[19].Churners != 1 {
		t.Fatalf("periods %d first %s", all.Periods, all.First)
	}
	tab, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: asOf, From: day("2023-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Periods != 3 || tab.Skipped != 19 || tab.SkippedFirst != day("2021-06-01") {
		t.Fatalf("periods %d skipped %d from %s", tab.Periods, tab.Skipped, tab.SkippedFirst)
	}
	// Jan: opening old1, old2, old3; add new1; old3 churns on 01-01.
	// Feb: churn old2, add new2. Mar: new2 churns on 03-01 (in March's
	// opening base).
	want := [][5]int64{{3, 1, 1, 0, 3}, {3, 1, 1, 0, 3}, {3, 0, 1, -1, 2}}
	for i, w := range want {
		r := tab.Rows[i]
		if got := [5]int64{r.OpeningBase, r.GrossAdds, r.Churners, r.NetAdds, r.ClosingBase}; got != w {
			t.Errorf("row %d: %v, want %v", i, got, w)
		}
	}
	// An observation start inside a month leaves that month out too.
	mid, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: asOf, From: day("2023-01-15")})
	if err != nil {
		t.Fatal(err)
	}
	if mid.First != day("2023-02-01") || mid.Rows[0].OpeningBase != 3 {
		t.Fatalf("first %s opening %d", mid.First, mid.Rows[0].OpeningBase)
	}
	if _, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: asOf, From: day("2023-04-01")}); err == nil {
		t.Error("observation start after the as-of date accepted")
	}
}

func TestCohortsHandBuilt(t *testing.T) {
	subs := subscribers(
		"A", "2024-01-31", "", "x", // anniversaries 02-29, 03-31 (04-30 is after the as-of date)
		"B", "2024-01-01", "2024-02-01", "x", // churn on its first anniversary: not active at 1
		"C", "2024-01-15", "2024-03-10", "y", // churn between anniversaries 1 (02-15) and 2 (03-15)
		"D", "2024-02-29", "", "y", // one anniversary (03-29) by the as-of date
		"E", "2024-04-10", "", "y", // no anniversary yet: no row
	)
	tx, subOf := transactions(t, subs,
		"A", "2024-01-31", 10.0, // tenure 1
		"A", "2024-02-29", 20.0, // the first anniversary starts tenure 2
		"A", "2024-03-30", 5.0, // tenure 2
		"A", "2024-03-31", 7.0, // tenure 3
		"C", "2024-01-14", 99.0, // before activation: left out
		"C", "2024-03-12", 8.0, // tenure 2
		"B", "2024-02-05", 3.0, // tenure 2, a final bill after churn
	)
	c, err := BuildCohorts(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: day("2024-04-15"), From: dataset.NoDay})
	if err != nil {
		t.Fatal(err)
	}
	jan, feb := day("2024-01-01"), day("2024-02-01")
	// Counted by hand (see the comments above).
	want := []Cell{
		{Cohort: jan, Tenure: 1, Subscribers: 3, Active: 2, Retention: 2.0 / 3, Censored: 0, Revenue: 10, RevenuePerSubscriber: 10.0 / 3, ARPU: 10.0 / 3},
		{Cohort: jan, Tenure: 2, Subscribers: 3, Active: 1, Retention: 1.0 / 3, Censored: 0, Revenue: 36, RevenuePerSubscriber: 46.0 / 3, ARPU: 18},
		{Cohort: jan, Tenure: 3, Subscribers: 3, Active: 1, Retention: 1.0 / 3, Censored: 1, Revenue: 7, RevenuePerSubscriber: 53.0 / 3, ARPU: 7},
		{Cohort: feb, Tenure: 1, Subscribers: 1, Active: 1, Retention: 1, Censored: 0},
	}
	if len(c.Cells) != len(want) {
		t.Fatalf("%d cells, want %d: %+v", len(c.Cells), len(want), c.Cells)
	}
	for i, w := range want {
		g := c.Cells[i]
		if g.Cohort != w.Cohort || g.Tenure != w.Tenure || g.Subscribers != w.Subscribers || g.Active != w.Active || g.Censored != w.Censored {
			t.Errorf("cell %d: got %+v, want %+v", i, g, w)
		}
		for _, f := range [][2]float64{{g.Retention, w.Retention}, {g.Revenue, w.Revenue}, {g.RevenuePerSubscriber, w.RevenuePerSubscriber}, {g.ARPU, w.ARPU}} {
			if math.Abs(f[0]-f[1]) > 1e-12 {
				t.Errorf("cell %d: got %+v, want %+v", i, g, w)
			}
		}
	}
	if c.BeforeActivation != 1 || c.MaxTenure != 3 {
		t.Errorf("before activation %d max tenure %d", c.BeforeActivation, c.MaxTenure)
	}
	// By group: x = A, B; y = C, D, E.
	g, err := BuildCohorts(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: day("2024-04-15"), From: dataset.NoDay, By: []string{"plan"}})
	if err != nil {
		t.Fatal(err)
	}
	var x2 *Cell
	for i := range g.Cells {
		if g.Cells[i].Group == "x" && g.Cells[i].Tenure == 2 {
			x2 = &g.Cells[i]
		}
	}
	if x2 == nil || x2.Subscribers != 2 || x2.Active != 1 || x2.Revenue != 28 {
		t.Errorf("group x tenure 2: %+v", x2)
	}
	// A truncated export: cohorts before the observation start are left out.
	tr, err := BuildCohorts(subs, tx, subOf, Options{Period: dataset.PeriodMonth, AsOf: day("2024-04-15"), From: day("2024-02-01")})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Skipped != 1 || tr.SkippedMembers != 3 || len(tr.Cells) != 1 || tr.Cells[0].Cohort != feb {
		t.Errorf("truncated: skipped %d members %d cells %+v", tr.Skipped, tr.SkippedMembers, tr.Cells)
	}
}

// TestAnniversaryRule checks the tenure arithmetic against the life table's
// calendar (retention.AddMonths) over every activation day of 2023-2024 and
// every later day within two years, for months, quarters and years.
func TestAnniversaryRule(t *testing.T) {
	for _, k := range []int{1, 3, 12} {
		for a := day("2023-01-01"); a <= day("2024-12-31"); a += 3 {
			for d := a - 2; d <= a+800; d += 7 {
				want := 0
				for j := 1; retention.AddMonths(a, j*k) <= d; j++ {
					want = j
				}
				if got := anniversaries(a, d, k); got != want {
					t.Fatalf("k=%d a=%s d=%s: %d anniversaries, want %d", k, a, d, got, want)
				}
			}
		}
	}
}

// TestMovementsRowOrder checks that the in-place path (rows in date order)
// and the bucketed path (any order) give the same table.
func TestMovementsRowOrder(t *testing.T) {
	subs, tx, subOf := syntheticBase(2000, 10) // random row order
	sorted := byDate(tx)
	opt := Options{Period: dataset.PeriodMonth, AsOf: day("2024-10-15"), From: day("2023-01-01"), By: []string{"plan"}}
	a, err := Movements(subs, tx, subOf, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Movements(subs, sorted, subOf, opt)
	if err != nil {
		t.Fatal(err)
	}
	la, lb := a.Left, b.Left
	if math.Abs(la.UnmatchedRevenue-lb.UnmatchedRevenue) < 1e-6 {
		la.UnmatchedRevenue = lb.UnmatchedRevenue // summed in another order
	}
	if len(a.Rows) != len(b.Rows) || la.LateTransactions == 0 || la.UnmatchedTransactions == 0 || la != lb {
		t.Fatalf("rows %d/%d left %+v / %+v", len(a.Rows), len(b.Rows), a.Left, b.Left)
	}
	for i := range a.Rows {
		x, y := a.Rows[i], b.Rows[i]
		// Amounts are summed in a different order: compare them within 1e-9.
		if math.Abs(x.Revenue-y.Revenue) > 1e-9*math.Max(1, math.Abs(x.Revenue)) || math.Abs(x.NewRevenue-y.NewRevenue) > 1e-9*math.Max(1, math.Abs(x.NewRevenue)) {
			t.Fatalf("row %d revenue %v / %v", i, x.Revenue, y.Revenue)
		}
		x.Revenue, x.NewRevenue, x.ARPU, x.ARPPU, x.NewARPU = y.Revenue, y.NewRevenue, y.ARPU, y.ARPPU, y.NewARPU
		if x != y {
			t.Fatalf("row %d:\n%+v\n%+v", i, x, y)
		}
	}
}

func TestChanges(t *testing.T) {
	subs, tx, subOf := syntheticBase(500, 6)
	tab, err := Movements(subs, tx, subOf, Options{Period: dataset.PeriodQuarter, AsOf: day("2024-12-31"), From: day("2023-01-01"), By: []string{"plan"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tab.Changes("prepaid")
	if err != nil {
		t.Fatal(err)
	}
	// 8 quarters 2023-Q1..2024-Q4: previous is 2024-Q3, a year ago 2023-Q4.
	if c.Period != day("2024-10-01") || c.Previous.Period != day("2024-07-01") || c.YearAgo.Period != day("2023-10-01") ||
		!c.HasPrevious || !c.HasYearAgo || c.Latest.Group != "prepaid" || c.Partial {
		t.Fatalf("%+v", c)
	}
	short, _ := Movements(subs, tx, subOf, Options{Period: dataset.PeriodYear, AsOf: day("2024-12-31"), From: day("2024-01-01")})
	if c, _ := short.Changes(""); c.HasPrevious || c.HasYearAgo {
		t.Errorf("one period: %+v", c)
	}
	if _, err := tab.Changes("satellite"); err == nil {
		t.Error("unknown group accepted")
	}
}
