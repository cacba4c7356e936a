package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/clv/synth"
)

func day(y, m, d int) dataset.Day { return dataset.Civil(y, m, d) }

// subscribers builds a subscriber export from (activation, churn) pairs.
func subscribers(rows ...[2]dataset.Day) *dataset.Subscribers {
	s := &dataset.Subscribers{}
	for i, r := range rows {
		s.ID = append(s.ID, string(rune('A'+i)))
		s.Activation = append(s.Activation, r[0])
		s.Churn = append(s.Churn, r[1])
	}
	return s
}

// transactions builds one transaction of amount 10 per (id, day).
func transactions(rows ...struct {
	id  string
	day dataset.Day
}) *dataset.Transactions {
	t := &dataset.Transactions{}
	index := map[string]int32{}
	for _, r := range rows {
		c, ok := index[r.id]
		if !ok {
			c = int32(len(t.IDs))
			index[r.id] = c
			t.IDs = append(t.IDs, r.id)
		}
		t.Customer = append(t.Customer, c)
		t.Day = append(t.Day, r.day)
		t.Amount = append(t.Amount, 10)
	}
	return t
}

type txRow = struct {
	id  string
	day dataset.Day
}

func TestObservationStart(t *testing.T) {
	none := dataset.NoDay
	// A, B activated before the first transaction (2023-01-01), C after; no
	// churn before it: a left-truncated export.
	subs := subscribers([2]dataset.Day{day(2019, 3, 1), none}, [2]dataset.Day{day(2020, 5, 9), day(2023, 6, 2)}, [2]dataset.Day{day(2023, 4, 1), none})
	tx := transactions(txRow{"A", day(2023, 1, 1)}, txRow{"C", day(2024, 12, 31)})
	cases := []struct {
		name     string
		subs     *dataset.Subscribers
		tx       *dataset.Transactions
		of       ObservedFrom
		from     dataset.Day
		detected bool
		before   int
	}{
		{"auto, truncated", subs, tx, ObservedFrom{Mode: ObservedAuto}, day(2023, 1, 1), true, 2},
		{"none", subs, tx, ObservedFrom{Mode: ObservedNone}, none, false, 0},
		{"a date", subs, tx, ObservedFrom{Mode: ObservedDay, Day: day(2022, 7, 1)}, day(2022, 7, 1), false, 2},
		{"auto, a churn before the first transaction: complete",
			subscribers([2]dataset.Day{day(2019, 3, 1), day(2021, 1, 1)}, [2]dataset.Day{day(2020, 5, 9), none}), tx,
			ObservedFrom{Mode: ObservedAuto}, none, false, 0},
		{"auto, no activation before the first transaction",
			subscribers([2]dataset.Day{day(2023, 2, 1), none}), tx, ObservedFrom{Mode: ObservedAuto}, none, false, 0},
		{"auto without transactions: the month of the earliest churn",
			subscribers([2]dataset.Day{day(2018, 1, 1), none}, [2]dataset.Day{day(2019, 1, 1), day(2023, 1, 17)}, [2]dataset.Day{day(2023, 5, 1), none}), nil,
			ObservedFrom{Mode: ObservedAuto}, day(2023, 1, 1), true, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := DefaultOptions()
			o.ObservedFrom = c.of
			b, err := New(Data{Tx: c.tx, Subs: c.subs}, o)
			if err != nil {
				t.Fatal(err)
			}
			tr := b.Truncation()
			if tr.From != c.from || tr.Detected != c.detected || tr.ActivatedBefore != c.before {
				t.Errorf("got from %s detected %v before %d, want %s %v %d", tr.From, tr.Detected, tr.ActivatedBefore, c.from, c.detected, c.before)
			}
		})
	}
	t.Run("a date after the as-of day", func(t *testing.T) {
		o := DefaultOptions()
		o.ObservedFrom = ObservedFrom{Mode: ObservedDay, Day: day(2025, 1, 1)}
		if _, err := New(Data{Tx: tx, Subs: subs}, o); !errors.Is(err, ErrBadOption) {
			t.Errorf("err = %v, want ErrBadOption", err)
		}
	})
}

func TestAsOf(t *testing.T) {
	subs := subscribers([2]dataset.Day{day(2023, 1, 5), day(2024, 12, 20)})
	tx := transactions(txRow{"A", day(2024, 11, 30)})
	cases := []struct {
		asOf   dataset.Day
		allow  bool
		want   dataset.Day
		future bool
	}{
		{dataset.NoDay, false, day(2024, 12, 20), false},   // the latest date in any input
		{day(2025, 1, 20), false, day(2025, 1, 20), false}, // within one month after it
		{day(2025, 1, 21), false, 0, true},
		{day(2030, 6, 30), true, day(2030, 6, 30), false},
	}
	for _, c := range cases {
		o := DefaultOptions()
		o.AsOf, o.AllowFutureAsOf = c.asOf, c.allow
		b, err := New(Data{Tx: tx, Subs: subs}, o)
		if c.future {
			if !errors.Is(err, ErrFutureAsOf) {
				t.Errorf("as-of %s: err = %v, want ErrFutureAsOf", c.asOf, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("as-of %s: %v", c.asOf, err)
		}
		if b.AsOf() != c.want {
			t.Errorf("as-of %s: got %s, want %s", c.asOf, b.AsOf(), c.want)
		}
	}
}

// generated returns a generated base with plans.
func generated(t *testing.T, n int) Data {
	t.Helper()
	g, err := synth.Generate(synth.Options{Subscribers: n, Months: 24, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	return Data{Tx: &g.Transactions, Subs: &g.Subscribers}
}

// TestRetentionGroups: one fit per plan; a group under MinGroup is valued
// with the pooled fit; each group's own fit equals a direct fit of its
// subscribers; values add up.
func TestRetentionGroups(t *testing.T) {
	d := generated(t, 3000)
	o := DefaultOptions()
	o.MinGroup = 400 // the business plan has fewer subscribers (351)
	b, err := New(d, o)
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.Retention()
	if err != nil {
		t.Fatal(err)
	}
	if r.By != "plan" || len(r.Groups) != 4 {
		t.Fatalf("grouped by %q into %d groups, want plan into 4", r.By, len(r.Groups))
	}
	pooled := 0
	for i := range r.Groups {
		g := &r.Groups[i]
		direct, err := retention.FitSBG(r.Tenures.Durations(g.Rows), retention.FitOptions{MinSubscribers: 400})
		switch {
		case len(g.Rows) < 400:
			if !g.Pooled || g.Model != r.Pool.Model || err == nil {
				t.Errorf("%s (%d subscribers): pooled %v, direct fit error %v; want the pooled model", g.Name, len(g.Rows), g.Pooled, err)
			}
			pooled++
		case err != nil || g.Fit == nil:
			t.Errorf("%s: fit %v, direct %v", g.Name, g.Fit, err)
		case g.Fit.Alpha != direct.Alpha || g.Fit.Beta != direct.Beta:
			t.Errorf("%s: alpha, beta %g, %g; direct fit %g, %g", g.Name, g.Fit.Alpha, g.Fit.Beta, direct.Alpha, direct.Beta)
		}
	}
	if pooled == 0 {
		t.Error("no group fell back to the pooled fit")
	}
	v, err := b.SubscriberValues()
	if err != nil {
		t.Fatal(err)
	}
	var total, groups float64
	for _, x := range v.Value {
		total += x
	}
	for _, x := range v.GroupTotal {
		groups += x
	}
	if math.Abs(total-v.Total) > 1e-6*v.Total || math.Abs(groups-v.Total) > 1e-6*v.Total || v.Total <= 0 {
		t.Errorf("total %g, sum of values %g, sum of groups %g", v.Total, total, groups)
	}
	// A group's values are the residual values of its model.
	g := &r.Groups[0]
	res, err := retention.ResidualValues(r.Tenures, g.Rows, g.Model, v.Margin, o.Discount)
	if err != nil {
		t.Fatal(err)
	}
	for j, i := range g.Rows {
		if v.Value[i] != res.Value[j] {
			t.Fatalf("row %d: value %g, direct %g", i, v.Value[i], res.Value[j])
		}
	}
}

// TestRepeatSelection: repeat-purchase models are fitted on the customers
// with a purchase, the same with or without the subscriber export.
func TestRepeatSelection(t *testing.T) {
	d := generated(t, 1500)
	withSubs, err := New(d, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	txOnly, err := New(Data{Tx: d.Tx}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	a, err := withSubs.RepeatInput("bgnbd", dataset.UnitMonth)
	if err != nil {
		t.Fatal(err)
	}
	if a.Skipped == 0 {
		t.Fatal("the generated base should have subscribers without a purchase")
	}
	fa, err := withSubs.Repeat("bgnbd", dataset.UnitMonth, btyd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fb, err := txOnly.Repeat("bgnbd", dataset.UnitMonth, btyd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range fa.Params {
		if math.Abs(fa.Params[k]-fb.Params[k]) > 1e-9*math.Abs(fb.Params[k]) {
			t.Errorf("%s: %g with subscribers, %g without", fa.Names[k], fa.Params[k], fb.Params[k])
		}
	}
	// The fit is made once per run.
	again, _ := withSubs.Repeat("bgnbd", dataset.UnitMonth, btyd.Options{})
	if again != fa {
		t.Error("a second call fitted again")
	}
}
