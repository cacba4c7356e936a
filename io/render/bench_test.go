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
