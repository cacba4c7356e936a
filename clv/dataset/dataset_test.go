package dataset

import (
	"math"
	"testing"
	"time"
)

func TestCivilRoundTrip(t *testing.T) {
	// Every day from 1600 to 2400 against the standard library's calendar.
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := DayOf(start); d < DayOf(time.Date(2400, 12, 31, 0, 0, 0, 0, time.UTC)); d++ {
		want := start.AddDate(0, 0, int(d-DayOf(start)))
		if got := d.Time(); !got.Equal(want) {
			t.Fatalf("day %d: got %v want %v", d, got, want)
		}
		y, m, dd := d.Date()
		if Civil(y, m, dd) != d {
			t.Fatalf("Civil(Date(%d)) != %d", d, d)
		}
	}
	if Civil(1970, 1, 1) != 0 || Civil(1969, 12, 31) != -1 {
		t.Fatal("epoch is not day 0")
	}
	if got := Civil(2024, 2, 29).String(); got != "2024-02-29" {
		t.Fatalf("String = %q", got)
	}
}

func TestValidCivil(t *testing.T) {
	for _, c := range []struct {
		y, m, d int
		ok      bool
	}{{2024, 2, 29, true}, {2023, 2, 29, false}, {1900, 2, 29, false}, {2000, 2, 29, true},
		{2024, 4, 31, false}, {2024, 12, 31, true}, {2024, 13, 1, false}, {2024, 0, 1, false}, {0, 1, 1, false}} {
		if got := ValidCivil(c.y, c.m, c.d); got != c.ok {
			t.Errorf("ValidCivil(%d,%d,%d) = %v", c.y, c.m, c.d, got)
		}
	}
}

func TestPeriods(t *testing.T) {
	cases := []struct {
		p     Period
		day   Day
		label string
		start string
		end   string
	}{
		{PeriodMonth, Civil(2024, 2, 15), "2024-02", "2024-02-01", "2024-02-29"},
		{PeriodQuarter, Civil(2024, 5, 31), "2024-Q2", "2024-04-01", "2024-06-30"},
		{PeriodYear, Civil(1969, 7, 1), "1969", "1969-01-01", "1969-12-31"},
		{PeriodMonth, Civil(1969, 12, 31), "1969-12", "1969-12-01", "1969-12-31"},
		{PeriodQuarter, Civil(1969, 11, 2), "1969-Q4", "1969-10-01", "1969-12-31"},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			i := c.p.Index(c.day)
			if got := c.p.Label(i); got != c.label {
				t.Errorf("label %q", got)
			}
			if got := c.p.Start(i).String(); got != c.start {
				t.Errorf("start %q", got)
			}
			if got := c.p.End(i).String(); got != c.end {
				t.Errorf("end %q", got)
			}
			if c.p.Index(c.p.End(i)+1) != i+1 {
				t.Errorf("next period is not i+1")
			}
		})
	}
}

func TestPeriodDays(t *testing.T) {
	// Mean Gregorian month = 365.25/12 = 30.4375 days (see UnitMonth).
	for _, c := range []struct {
		p    Period
		want float64
	}{{PeriodMonth, 30.4375}, {PeriodQuarter, 91.3125}, {PeriodYear, 365.25}} {
		t.Run(c.p.String(), func(t *testing.T) {
			if got := c.p.Days(); got != c.want {
				t.Errorf("Days() = %v, want %v", got, c.want)
			}
		})
	}
}

// tx builds a transaction table from (id, date, amount) triples.
func tx(rows ...any) *Transactions {
	t := &Transactions{}
	idx := map[string]int32{}
	for i := 0; i < len(rows); i += 3 {
		id := rows[i].(string)
		c, ok := idx[id]
		if !ok {
			c = int32(len(t.IDs))
			idx[id] = c
			t.IDs = append(t.IDs, id)
		}
		tm, err := time.Parse("2006-01-02", rows[i+1].(string))
		if err != nil {
			panic(err)
		}
		t.Customer = append(t.Customer, c)
		t.Day = append(t.Day, DayOf(tm))
		t.Amount = append(t.Amount, rows[i+2].(float64))
	}
	return t
}

func TestSummarize(t *testing.T) {
	// Customer a: first day 2024-01-01 with two rows (10 + 5, merged), repeats on
	// 01-08 (20) and 01-15 (30 + 10 merged): x = 2, monetary = (20 + 40)/2 = 30.
	// Customer b: one row; x = 0, monetary 0. Customer c buys only after as-of.
	rows := []any{
		"a", "2024-01-01", 10.0, "a", "2024-01-01", 5.0, "a", "2024-01-08", 20.0,
		"b", "2024-01-03", 7.0, "a", "2024-01-15", 30.0, "a", "2024-01-15", 10.0,
		"c", "2024-02-01", 1.0,
	}
	ordered := tx(rows...)
	// Same rows with a's in reverse order: exercises the out-of-order path.
	var rev []any
	for i := len(rows) - 3; i >= 0; i -= 3 {
		rev = append(rev, rows[i:i+3]...)
	}
	for name, in := range map[string]*Transactions{"ordered": ordered, "reversed": tx(rev...)} {
		t.Run(name, func(t *testing.T) {
			s, err := Summarize(in, SummaryOptions{AsOf: Civil(2024, 1, 29), Unit: UnitWeek})
			if err != nil {
				t.Fatal(err)
			}
			if s.Len() != 2 || s.Excluded != 1 {
				t.Fatalf("len %d excluded %d", s.Len(), s.Excluded)
			}
			j := 0
			if s.IDs[0] != "a" {
				j = 1
			}
			k := 1 - j
			check := func(what string, got, want float64) {
				t.Helper()
				if math.Abs(got-want) > 1e-12 {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			check("a.transactions", float64(s.Transactions[j]), 5)
			check("a.periods", float64(s.Periods[j]), 3)
			check("a.total", s.Total[j], 75)
			check("a.mean", s.Mean[j], 15)
			check("a.x", float64(s.X[j]), 2)
			check("a.t_x", s.Tx[j], 2)
			check("a.T", s.T[j], 4)
			check("a.monetary", s.Monetary[j], 30)
			check("a.recency", float64(s.Recency[j]), 14)
			check("a.tenure", float64(s.Tenure[j]), 28)
			check("b.x", float64(s.X[k]), 0)
			check("b.monetary", s.Monetary[k], 0)
			check("b.T", s.T[k], 26.0/7)
		})
	}
}

func TestSummarizeSubscribers(t *testing.T) {
	in := tx("a", "2024-01-10", 10.0)
	subs := &Subscribers{ID: []string{"z", "a"}, Activation: []Day{Civil(2024, 1, 1), Civil(2023, 12, 1)},
		Churn: []Day{NoDay, NoDay}}
	subOf, err := Join(in, subs)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Summarize(in, SummaryOptions{AsOf: Civil(2024, 1, 31), Unit: UnitDay, Subscribers: subs, SubOf: subOf})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || s.IDs[1] != "z" {
		t.Fatalf("ids %v", s.IDs)
	}
	if s.Tenure[0] != 61 || s.Tenure[1] != 30 || s.Transactions[1] != 0 || s.First[1] != NoDay {
		t.Fatalf("tenure %v transactions %v", s.Tenure, s.Transactions)
	}
	if _, err := Join(in, &Subscribers{ID: []string{"q", "q"}, Activation: []Day{0, 0}, Churn: []Day{NoDay, NoDay}}); err == nil {
		t.Fatal("duplicate subscriber accepted")
	}
}

func TestPanel(t *testing.T) {
	in := tx("a", "2024-01-31", 1.0, "a", "2024-02-01", 2.0, "b", "2024-03-31", 4.0, "a", "2024-02-29", 3.0, "b", "2024-04-01", 9.0)
	p, err := BuildPanel(in, PanelOptions{Period: PeriodMonth, AsOf: Civil(2024, 3, 31), From: NoDay})
	if err != nil {
		t.Fatal(err)
	}
	if p.Periods != 3 || p.Label(0) != "2024-01" {
		t.Fatalf("periods %d first %s", p.Periods, p.Label(0))
	}
	want := []float64{1, 5, 0, 0, 0, 4}
	for i, w := range want {
		if got := p.Row(i/3, nil)[i%3]; got != w {
			t.Fatalf("spend[%d] = %v want %v", i, got, w)
		}
	}
	if p.Counts(0, nil)[1] != 2 {
		t.Fatalf("counts %v", p.Counts(0, nil))
	}
	// Sparse by active periods: a has January and February, b March.
	if p.Stored() != 3 || p.Cell(1, 2) != 2 || p.Cell(1, 0) != -1 {
		t.Fatalf("stored %d, cells %v %v", p.Stored(), p.Col, p.Start)
	}
}
