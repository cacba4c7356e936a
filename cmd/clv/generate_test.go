package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGenerateExample checks that examples/telecom is what its README's
// command writes.
func TestGenerateExample(t *testing.T) {
	dir := t.TempDir()
	r := runCLI(t, "", "generate", "--subscribers", "3000", "--months", "24", "--seed", "1", "--end", "2024-12-31", "--out", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, name := range []string{"subscribers.csv", "transactions.csv"} {
		want := readFile(t, filepath.Join(repoRoot, "examples", "telecom", name))
		if !bytes.Equal(readFile(t, filepath.Join(dir, name)), want) {
			t.Errorf("%s differs from examples/telecom/%s", name, name)
		}
	}
	if want := "(3000 subscribers)"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q lacks %q", r.stderr, want)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			var files [3][2][]byte
			for k, seed := range []string{"9", "9", "10"} {
				dir := t.TempDir()
				r := runCLI(t, "", "generate", "--subscribers", "200", "--months", "6", "--seed", seed, "--out", dir, "--format", format, "-q")
				if r.code != 0 || r.stderr != "" {
					t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
				}
				files[k][0] = readFile(t, filepath.Join(dir, "subscribers."+format))
				files[k][1] = readFile(t, filepath.Join(dir, "transactions."+format))
			}
			for j := range 2 {
				if !bytes.Equal(files[0][j], files[1][j]) {
					t.Errorf("file %d: same seed, different bytes", j)
				}
				if bytes.Equal(files[0][j], files[2][j]) {
					t.Errorf("file %d: different seeds, same bytes", j)
				}
			}
		})
	}
}

// TestGenerateParquetSummary checks that the Parquet and CSV outputs of one
// base summarise identically.
func TestGenerateParquetSummary(t *testing.T) {
	var out [2]string
	for k, format := range []string{"csv", "parquet"} {
		dir := t.TempDir()
		if r := runCLI(t, "", "generate", "--subscribers", "500", "--months", "12", "--seed", "3", "--out", dir, "--format", format); r.code != 0 {
			t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
		}
		r := runCLI(t, "", "summarize", "-t", filepath.Join(dir, "transactions."+format), "-s", filepath.Join(dir, "subscribers."+format),
			"--unit", "month", "--format", "csv")
		if r.code != 0 {
			t.Fatalf("summarize %s: exit %d: %s", format, r.code, r.stderr)
		}
		out[k] = r.stdout
	}
	if out[0] != out[1] || strings.Count(out[0], "\n") != 501 {
		t.Fatalf("summaries differ or have the wrong length:\n%s", firstDiff(out[0], out[1]))
	}
}

func TestGenerateUsage(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"generate"}, "missing --out DIR"},
		{[]string{"generate", "--out", dir, "--format", "json"}, "--format json: generate writes csv or parquet"},
		{[]string{"generate", "--out", dir, "-o", "x.csv"}, "use --out DIR instead of -o"},
		{[]string{"generate", "--out", dir, "--subscribers", "0"}, "--subscribers must be at least 1, got 0"},
		{[]string{"generate", "--out", dir, "--months", "0"}, "--months must be between 1 and 600, got 0"},
		{[]string{"generate", "--out", dir, "--end", "2024-13-01"}, `--end "2024-13-01": want a date as 2006-01-02`},
		{[]string{"generate", "--out", dir, "--seed", "-1"}, "invalid argument"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[1:], " "), func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, c.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("usage errors left files behind: %v", entries)
	}
}
