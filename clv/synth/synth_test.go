package synth

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func render(t testing.TB, b *Base) (subs, tx []byte) {
	t.Helper()
	var s, x bytes.Buffer
	if err := b.WriteSubscribers(&s); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteTransactions(&x); err != nil {
		t.Fatal(err)
	}
	return s.Bytes(), x.Bytes()
}

func generate(t testing.TB, opt Options) *Base {
	t.Helper()
	b, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterministic(t *testing.T) {
	opt := Options{Subscribers: 500, Months: 12, Seed: 7}
	s1, t1 := render(t, generate(t, opt))
	s2, t2 := render(t, generate(t, opt))
	if !bytes.Equal(s1, s2) || !bytes.Equal(t1, t2) {
		t.Fatal("same options gave different output")
	}
	opt.Seed = 8
	s3, t3 := render(t, generate(t, opt))
	if bytes.Equal(s1, s3) || bytes.Equal(t1, t3) {
		t.Fatal("different seeds gave identical output")
	}
}

// TestExample checks that examples/telecom is exactly what
// `clv generate --subscribers 3000 --months 24 --seed 1 --end 2024-12-31` writes.
func TestExample(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "telecom")
	wantS, err := os.ReadFile(filepath.Join(dir, "subscribers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wantT, err := os.ReadFile(filepath.Join(dir, "transactions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	gotS, gotT := render(t, generate(t, Options{Subscribers: 3000, Months: 24, Seed: 1, End: dataset.Civil(2024, 12, 31)}))
	if !bytes.Equal(gotS, wantS) {
		t.Error("examples/telecom/subscribers.csv differs from the generator's output")
	}
	if !bytes.Equal(gotT, wantT) {
		t.Error("examples/telecom/transactions.csv differs from the generator's output")
	}
}

func TestPrefix(t *testing.T) {
	small := generate(t, Options{Subscribers: 700, Months: 18, Seed: 3})
	large := generate(t, Options{Subscribers: 1500, Months: 18, Seed: 3})
	for i := range small.Subscribers.ID {
		if small.Subscribers.ID[i] != large.Subscribers.ID[i] ||
			small.Subscribers.Activation[i] != large.Subscribers.Activation[i] ||
			small.Subscribers.Churn[i] != large.Subscribers.Churn[i] {
			t.Fatalf("subscriber %d differs between a base of 700 and one of 1500", i)
		}
	}
}

func TestInvariants(t *testing.T) {
	cases := []struct {
		name string
		opt  Options
	}{
		{"tiny", Options{Subscribers: 1, Months: 1, Seed: 1}},
		{"mid-month end", Options{Subscribers: 300, Months: 6, Seed: 2, End: dataset.Civil(2024, 2, 14)}},
		{"leap year", Options{Subscribers: 1000, Months: 13, Seed: 5, End: dataset.Civil(2024, 2, 29)}},
		{"long", Options{Subscribers: 2000, Months: 60, Seed: 9}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := generate(t, c.opt)
			s, tx := &b.Subscribers, &b.Transactions
			if s.Len() != c.opt.Subscribers || len(tx.IDs) != c.opt.Subscribers {
				t.Fatalf("got %d subscribers, %d customers, want %d", s.Len(), len(tx.IDs), c.opt.Subscribers)
			}
			ey, em, _ := b.End.Date()
			wy, wm, wd := b.Start.Date()
			if wd != 1 || (ey*12+em)-(wy*12+wm) != c.opt.Months-1 {
				t.Fatalf("window %s..%s is not %d months", b.Start, b.End, c.opt.Months)
			}
			seen := map[string]bool{}
			for i, id := range s.ID {
				if seen[id] {
					t.Fatalf("duplicate id %s", id)
				}
				seen[id] = true
				if s.Activation[i] > b.End {
					t.Errorf("%s activated after the window: %s", id, s.Activation[i])
				}
				if ch := s.Churn[i]; ch != dataset.NoDay && (ch <= s.Activation[i] || ch < b.Start || ch > b.End) {
					t.Errorf("%s: churn %s not in (activation %s, window %s..%s]", id, ch, s.Activation[i], b.Start, b.End)
				}
			}
			for k, c := range tx.Customer {
				d := tx.Day[k]
				if k > 0 && (d < tx.Day[k-1] || d == tx.Day[k-1] && c < tx.Customer[k-1]) {
					t.Fatalf("row %d out of (date, subscriber) order", k)
				}
				if d < b.Start || d > b.End || d < s.Activation[c] || (s.Churn[c] != dataset.NoDay && d > s.Churn[c]) {
					t.Fatalf("row %d: %s on %s outside window or subscription (%s..%s)", k, s.ID[c], d, s.Activation[c], s.Churn[c])
				}
				if a := tx.Amount[k]; a != cents(a) || a == 0 {
					t.Fatalf("row %d: amount %v not a non-zero whole number of cents", k, a)
				}
			}
		})
	}
}

// TestShapes checks the advertised shapes on a large base. The thresholds are
// loose bounds implied by the model's parameters (see doc.go), far from the
// expected values, so they fail only when the model itself changes.
func TestShapes(t *testing.T) {
	b := generate(t, Options{Subscribers: 20000, Months: 24, Seed: 11})
	s, tx := &b.Subscribers, &b.Transactions
	plan, ctype := s.Attr("plan"), s.Attr("customer_type")
	type agg struct{ n, churned, pre, rows int }
	by := map[string]*agg{}
	rows := make([]int, s.Len())
	spend := make([]float64, s.Len())
	for k, c := range tx.Customer {
		rows[c]++
		spend[c] += tx.Amount[k]
	}
	keys, negatives := 0, 0
	for _, a := range tx.Amount {
		if a < 0 {
			negatives++
		}
	}
	for i := range s.ID {
		a := by[plan[i]]
		if a == nil {
			a = &agg{}
			by[plan[i]] = a
		}
		a.n++
		a.rows += rows[i]
		if s.Churn[i] != dataset.NoDay {
			a.churned++
		}
		if s.Activation[i] < b.Start {
			a.pre++
		}
		if ctype[i] == "key_account" {
			keys++
			if rows[i] >= 3 && spend[i]/float64(rows[i]) < 2000 {
				t.Errorf("key account %s: mean bill %.2f, want large bills", s.ID[i], spend[i]/float64(rows[i]))
			}
		}
	}
	share := func(p string, f func(*agg) int) float64 { return float64(f(by[p])) / float64(by[p].n) }
	churned := func(a *agg) int { return a.churned }
	if pc, qc := share("prepaid", churned), share("postpaid", churned); pc < 1.5*qc {
		t.Errorf("prepaid churn share %.3f not well above postpaid %.3f", pc, qc)
	}
	if fc, qc := share("family", churned), share("postpaid", churned); fc > qc {
		t.Errorf("family churn share %.3f above postpaid %.3f", fc, qc)
	}
	pre := 0
	for _, a := range by {
		pre += a.pre
	}
	if f := float64(pre) / float64(s.Len()); f < 0.3 || f > 0.8 {
		t.Errorf("share activated before the window = %.3f, want a mix (0.3..0.8)", f)
	}
	if want := 20000 / 600; keys < want {
		t.Errorf("%d key accounts, want at least %d", keys, want)
	}
	if negatives == 0 || negatives > tx.Len()/100 {
		t.Errorf("%d credit notes in %d rows, want a few", negatives, tx.Len())
	}
	// Prepaid top-ups are irregular: the per-subscriber monthly count varies
	// (Gamma-Poisson), so some prepaid subscribers top up more than monthly.
	over := 0
	for i := range s.ID {
		if plan[i] == "prepaid" && rows[i] > 30 {
			over++
		}
	}
	if over == 0 {
		t.Error("no prepaid subscriber tops up more often than monthly")
	}
}

// TestLifecycle checks ramp-up and decline: on average the first bill month
// after activation and the month before churn are smaller than mid-life bills.
func TestLifecycle(t *testing.T) {
	b := generate(t, Options{Subscribers: 20000, Months: 36, Seed: 4})
	s, tx := &b.Subscribers, &b.Transactions
	plan := s.Attr("plan")
	var early, mid, late [2]float64 // sum, count
	for k, c := range tx.Customer {
		if plan[c] != "postpaid" || s.Activation[c] < b.Start || s.Churn[c] == dataset.NoDay || tx.Amount[k] < 0 {
			continue
		}
		age := int(tx.Day[k] - s.Activation[c])
		left := int(s.Churn[c] - tx.Day[k])
		switch {
		case age >= 32 && age < 62:
			early[0] += tx.Amount[k]
			early[1]++
		case left >= 31 && left < 61:
			late[0] += tx.Amount[k]
			late[1]++
		case age >= 150 && left >= 150:
			mid[0] += tx.Amount[k]
			mid[1]++
		}
	}
	e, m, l := early[0]/early[1], mid[0]/mid[1], late[0]/late[1]
	if !(e < 0.9*m && l < 0.9*m) {
		t.Errorf("mean bill early %.2f, mid-life %.2f, before churn %.2f: want ramp-up and decline", e, m, l)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, opt := range []Options{
		{Subscribers: 0, Months: 12},
		{Subscribers: 10, Months: 0},
		{Subscribers: 10, Months: 601},
		{Subscribers: 10, Months: 12, End: dataset.Civil(1200, 1, 1)},
	} {
		t.Run(fmt.Sprintf("%d/%d", opt.Subscribers, opt.Months), func(t *testing.T) {
			if _, err := Generate(opt); !errors.Is(err, ErrOptions) {
				t.Fatalf("got %v, want ErrOptions", err)
			}
		})
	}
}

func TestQuoting(t *testing.T) {
	b := &Base{Subscribers: dataset.Subscribers{
		ID: []string{"a"}, Activation: []dataset.Day{0}, Churn: []dataset.Day{dataset.NoDay},
		AttrNames: []string{"plan"}, Attrs: [][]string{{`big, "new"`}},
	}}
	var buf bytes.Buffer
	if err := b.WriteSubscribers(&buf); err != nil {
		t.Fatal(err)
	}
	want := SubscribersHeader + "\na,1970-01-01,,\"big, \"\"new\"\"\"\n"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func ExampleGenerate() {
	b, err := Generate(Options{Subscribers: 1000, Months: 12, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Subscribers.Len(), "subscribers from", b.Start, "to", b.End)
	fmt.Println(b.Transactions.Len() > 5000)
	// Output:
	// 1000 subscribers from 2024-01-01 to 2024-12-31
	// true
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rows := 0
			for b.Loop() {
				base, err := Generate(Options{Subscribers: n, Months: 24, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				rows = base.Transactions.Len()
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

func BenchmarkWriteTransactions(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		base := generate(b, Options{Subscribers: n, Months: 24, Seed: 1})
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := base.WriteTransactions(&buf); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
