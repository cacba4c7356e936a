package render

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func sample() *Table {
	return &Table{Columns: []Column{
		Strings("id", []string{"a", "b,\"c\""}),
		Ints("n", []int64{1, -2}),
		Floats("v", []float64{0.1, 1.0 / 3}),
		Dates("d", []dataset.Day{dataset.Civil(2024, 2, 29), dataset.NoDay}),
	}}
}

func TestFormats(t *testing.T) {
	cases := map[Format]string{
		FormatCSV: "id,n,v,d\na,1,0.1,2024-02-29\n\"b,\"\"c\"\"\",-2,0.3333333333333333,\n",
		FormatJSON: "[\n{\"id\":\"a\",\"n\":1,\"v\":0.1,\"d\":\"2024-02-29\"},\n" +
			"{\"id\":\"b,\\\"c\\\"\",\"n\":-2,\"v\":0.3333333333333333,\"d\":null}\n]\n",
		FormatMarkdown: "| id | n | v | d |\n| --- | ---: | ---: | --- |\n| a | 1 | 0.1 | 2024-02-29 |\n| b,\"c\" | -2 | 0.3333 |  |\n",
	}
	for f, want := range cases {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteTable(&b, f, sample()); err != nil {
				t.Fatal(err)
			}
			if b.String() != want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), want)
			}
		})
	}
}

func TestRoundTripFloats(t *testing.T) {
	for _, v := range []float64{1e-300, 123456789.123456789, 0.1 + 0.2, -4.5e25, 5e-7} {
		b := appendFloat(nil, v)
		var got float64
		if _, err := fmtSscan(string(b), &got); err != nil || got != v {
			t.Errorf("%v printed as %s, read back %v (%v)", v, b, got, err)
		}
	}
}

func TestNonFiniteRefused(t *testing.T) {
	tab := &Table{Columns: []Column{Floats("x", []float64{1, math.NaN()})}}
	if err := WriteTable(&bytes.Buffer{}, FormatCSV, tab); err == nil || !strings.Contains(err.Error(), "finite") {
		t.Fatalf("NaN accepted: %v", err)
	}
}

func TestAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	f, err := Create(p, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	f.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("abort left %v", ents)
	}
	f, _ = Create(p, OutputOptions{})
	f.WriteString("whole")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "whole" {
		t.Fatalf("got %q", b)
	}
}

func TestParquetWrites(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, FormatParquet, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("PAR1")) || !bytes.HasSuffix(b.Bytes(), []byte("PAR1")) {
		t.Fatal("not a parquet file")
	}
}

func TestNoNegativeZero(t *testing.T) {
	for _, c := range []struct {
		v      float64
		digits int
		want   string
	}{{-0.0001, 2, "0.00"}, {math.Copysign(0, -1), 0, "0"}, {-0.004, 0, "-0.004"}, {-1.5, 1, "-1.5"}} {
		if got := humanFloat(c.v, c.digits); got != c.want {
			t.Errorf("humanFloat(%v, %d) = %q, want %q", c.v, c.digits, got, c.want)
		}
	}
}

// TestAbortAllRemovesTemporaryFiles: what a signal handler does. An output
// that has started has a hidden temporary file next to its target; AbortAll
// removes it and leaves the target as it was; an output not started yet
// creates nothing, and cannot start after AbortAll.
func TestAbortAllRemovesTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	started, err := Create(target, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := started.WriteString("half"); err != nil {
		t.Fatal(err)
	}
	idle, err := Create(filepath.Join(dir, "idle.csv"), OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("want out.csv and one temporary file, got %v", ents)
	}
	AbortAll()
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("after AbortAll: %v", ents)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Fatalf("target holds %q", b)
	}
	if _, err := idle.WriteString("x"); err == nil {
		t.Fatal("an aborted output accepted a write")
	}
	if err := started.Commit(); err == nil {
		t.Fatal("an aborted output committed")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("after the late writes: %v", ents)
	}
}
