package read

import (
	"os"
	"testing"
)

// BenchmarkFile reads the transaction file named by $CLV_BENCH_FILE (for
// example a gentelco export), reporting rows per second. Skipped when unset.
func BenchmarkFile(b *testing.B) {
	name := os.Getenv("CLV_BENCH_FILE")
	if name == "" {
		b.Skip("set CLV_BENCH_FILE to a transactions CSV")
	}
	fi, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		tx, _, err := Transactions(name, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(tx.Len()), "rows")
		b.ReportMetric(float64(tx.Customers()), "customers")
	}
}

// BenchmarkSubscribersFile reads the subscriber file named by
// $CLV_BENCH_SUBS. Skipped when unset.
func BenchmarkSubscribersFile(b *testing.B) {
	name := os.Getenv("CLV_BENCH_SUBS")
	if name == "" {
		b.Skip("set CLV_BENCH_SUBS to a subscribers CSV")
	}
	for b.Loop() {
		if _, _, err := Subscribers(name, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummaryFile reads the summary file named by $CLV_BENCH_SUMMARY.
// Skipped when unset.
func BenchmarkSummaryFile(b *testing.B) {
	name := os.Getenv("CLV_BENCH_SUMMARY")
	if name == "" {
		b.Skip("set CLV_BENCH_SUMMARY to a summary CSV")
	}
	for b.Loop() {
		if _, _, err := Summary(name, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
