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
