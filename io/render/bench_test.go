package render

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func wideTable(n int) *Table {
	r := rand.New(rand.NewPCG(3, 4))
	ids := make([]string, n)
	ints := make([]int64, n)
	fl := make([][]float64, 6)
	days := make([]dataset.Day, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("S%09d", i)
		ints[i] = int64(r.IntN(100))
		days[i] = dataset.Civil(2024, 1, 1) + dataset.Day(r.IntN(365))
	}
	t := &Table{Columns: []Column{Strings("id", ids), Ints("n", ints), Dates("d", days)}}
	for k := range fl {
		fl[k] = make([]float64, n)
		for i := range fl[k] {
			fl[k][i] = r.Float64() * 1000
		}
		t.Columns = append(t.Columns, Floats(fmt.Sprintf("f%d", k), fl[k]))
	}
	return t
}

func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{1e4, 1e6} {
		t := wideTable(n)
		for _, f := range []Format{FormatCSV, FormatJSON, FormatParquet} {
			b.Run(fmt.Sprintf("%s/rows=%d", f, n), func(b *testing.B) {
				for b.Loop() {
					if err := WriteTable(io.Discard, f, t); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkWriteResult: the result writers on a result whose main table is
// wideTable(n) plus a small second table and metadata (JSON writes both).
func BenchmarkWriteResult(b *testing.B) {
	for _, n := range []int{1e4, 1e6} {
		main := wideTable(n)
		main.Name = "customers"
		r := &Result{Name: "bench", Main: "customers", Tables: []*Table{main,
			{Name: "parameters", Columns: []Column{Strings("parameter", []string{"r", "alpha"}), Floats("estimate", []float64{0.24, 4.4})}}}}
		r.Add("as_of", dataset.Civil(2024, 12, 31)).AddUnit("horizon", 52.0, "week")
		for _, f := range []Format{FormatCSV, FormatJSON, FormatParquet} {
			b.Run(fmt.Sprintf("%s/rows=%d", f, n), func(b *testing.B) {
				for b.Loop() {
					if err := WriteResult(io.Discard, f, r, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkWriteScores: CSV of an rfm-like table (id, small ints, money,
// a weighted score of few distinct values, a segment name), 10^6 rows.
func BenchmarkWriteScores(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 1000000
	ids := make([]string, n)
	ints := make([]int64, n)
	money := make([]float64, n)
	score := make([]float64, n)
	seg := make([]string, n)
	names := []string{"Champions", "Loyal Customers", "At Risk", "Lost", "Can't Lose Them"}
	for i := range ids {
		ids[i] = fmt.Sprintf("S%09d", i)
		ints[i] = int64(r.IntN(5) + 1)
		money[i] = float64(r.IntN(1000000)) / 100
		score[i] = float64(3+r.IntN(13)) / 3
		seg[i] = names[r.IntN(len(names))]
	}
	t := &Table{Columns: []Column{Strings("customer_id", ids), Ints("r_score", ints), Floats("spend", money),
		Floats("rfm_score", score), Strings("segment", seg)}}
	for b.Loop() {
		if err := WriteTable(io.Discard, FormatCSV, t); err != nil {
			b.Fatal(err)
		}
	}
}

// rfmShaped is a table shaped like clv rfm's per-customer output: sorted
// ids, recency days, counts, money in halves and cents, three scores 1..5,
// a shared cell string, a weighted score, a shared segment name and a
// deprecated copy of the money column (the same slice, as
// cmd/clv's deprecatedColumn appends it).
func rfmShaped(n int) *Table {
	r := rand.New(rand.NewPCG(7, 8))
	ids := make([]string, n)
	rec, freq := make([]int64, n), make([]int64, n)
	spend, score := make([]float64, n), make([]float64, n)
	sr, sf, sm := make([]int64, n), make([]int64, n), make([]int64, n)
	cell, seg := make([]string, n), make([]string, n)
	var cells [1000]string
	names := []string{"Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising",
		"Need Attention", "About to Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"}
	id := 100
	for i := range ids {
		id += 1 + r.IntN(200)
		ids[i] = fmt.Sprintf("S%09d", id)
		rec[i] = int64(r.IntN(730))
		freq[i] = int64(1 + r.IntN(120))
		if r.IntN(4) == 0 {
			spend[i] = float64(r.IntN(1000000)) / 100
		} else {
			spend[i] = float64(r.IntN(20000)) / 2
		}
		sr[i], sf[i], sm[i] = int64(1+r.IntN(5)), int64(1+r.IntN(5)), int64(1+r.IntN(5))
		c := 100*sr[i] + 10*sf[i] + sm[i]
		if cells[c] == "" {
			cells[c] = fmt.Sprint(c)
		}
		cell[i] = cells[c]
		score[i] = float64(sr[i]+sf[i]+sm[i]) / 3
		seg[i] = names[r.IntN(len(names))]
	}
	return &Table{Name: "customers", Columns: []Column{
		Strings("customer_id", ids), Ints("recency_days", rec), Ints("frequency", freq), Floats("spend", spend),
		Ints("r_score", sr), Ints("f_score", sf), Ints("m_score", sm), Strings("rfm_cell", cell),
		Floats("rfm_score", score), Strings("segment", seg), Floats("monetary", spend)}}
}

// BenchmarkWriteRFM: CSV of rfmShaped tables of 1M and 7M rows (the size
// of clv rfm on 100M transactions) to io.Discard. The 7M table takes about
// 1 GB; run it alone (flock /tmp/bigrun.lock on the shared machine).
func BenchmarkWriteRFM(b *testing.B) {
	for _, n := range []int{1e6, 7e6} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			t := rfmShaped(n)
			for b.Loop() {
				if err := WriteTable(io.Discard, FormatCSV, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
