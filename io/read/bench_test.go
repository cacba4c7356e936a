package read

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

var (
	benchFiles   = map[string]string{}
	benchFilesMu sync.Mutex
)

// benchFile writes (once per process) a transaction CSV of n rows and about
// n/14 customers (the ratio of the telecom benchmark export). order "date"
// interleaves customers like a billing export; "customer" groups each
// customer's rows; "random" has no order at all (days at random too).
func benchFile(b *testing.B, n int, order string) string {
	benchFilesMu.Lock()
	defer benchFilesMu.Unlock()
	key := fmt.Sprint(n, order)
	if f, ok := benchFiles[key]; ok {
		return f
	}
	dir, err := os.MkdirTemp("", "clvread")
	if err != nil {
		b.Fatal(err)
	}
	name := filepath.Join(dir, "tx.csv")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("subscriber_id,date,amount\n")
	r := rand.New(rand.NewPCG(uint64(n), 7))
	customers := max(n/14, 1)
	start := dataset.Civil(2023, 1, 1)
	line := make([]byte, 0, 64)
	for i := 0; i < n; i++ {
		var c int
		var d dataset.Day
		switch order {
		case "customer":
			c = i * customers / n
			d = start + dataset.Day(i%14*50)
		case "random":
			c = r.IntN(customers)
			d = start + dataset.Day(r.IntN(730))
		default:
			c = r.IntN(customers)
			d = start + dataset.Day(i*730/n)
		}
		line = append(line[:0], 'S')
		line = strconv.AppendInt(line, int64(100000000+c), 10)
		line = append(line, ',')
		line = d.AppendISO(line)
		line = append(line, ',')
		line = strconv.AppendFloat(line, float64(r.IntN(20000))/100, 'f', 2, 64)
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	benchFiles[key] = name
	return name
}

// BenchmarkTransactions reads generated exports of 10^4..10^7 rows. The
// 10^7-row files take about 300 MB of temporary disk each.
func BenchmarkTransactions(b *testing.B) {
	for _, order := range []string{"date", "customer"} {
		for _, n := range []int{1e4, 1e5, 1e6, 1e7} {
			b.Run(fmt.Sprintf("%s/rows=%d", order, n), func(b *testing.B) {
				name := benchFile(b, n, order)
				fi, _ := os.Stat(name)
				b.SetBytes(fi.Size())
				b.ResetTimer()
				for b.Loop() {
					if _, _, err := Transactions(name, Options{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

func BenchmarkParseAmount(b *testing.B) {
	in := [][]byte{[]byte("12.50"), []byte("-3"), []byte("1234.5678"), []byte("1e3")}
	for b.Loop() {
		for _, s := range in {
			parseAmount(s)
		}
	}
}

func BenchmarkParseDate(b *testing.B) {
	in := [][]byte{[]byte("2024-03-01"), []byte("20240301"), []byte("2024-03"), []byte("2024-03-01T10:00:00Z")}
	for b.Loop() {
		for _, s := range in {
			parseAutoDate(s)
		}
	}
}

// BenchmarkParseDateLoose times the spreadsheet forms (one-digit month and
// day, dots, 年月日), which are tried after the fixed-width ones.
func BenchmarkParseDateLoose(b *testing.B) {
	in := [][]byte{[]byte("2024/1/5"), []byte("2024-1-15"), []byte("2024.01.05"), []byte("2024年1月5日")}
	for b.Loop() {
		for _, s := range in {
			parseAutoDate(s)
		}
	}
}

// BenchmarkParseAmountCents: amounts as billing exports write them
// (two decimals), one per call.
func BenchmarkParseAmountCents(b *testing.B) {
	in := [][]byte{[]byte("25.00"), []byte("170.00"), []byte("1854.51"), []byte("7.25"), []byte("-12.40"), []byte("49.28")}
	i := 0
	for b.Loop() {
		parseAmount(in[i%len(in)])
		i++
	}
}
