package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestBadInput runs every case of the bad-input corpus testdata/bad: each
// NAME.want holds the command line ("args: ..."), the expected exit code
// ("exit: N") and, after "--- stderr", the exact expected stderr. Input
// files sit next to it. go test ./cmd/clv -update rewrites the exit code and
// stderr from the current behaviour (review the diff before committing).
func TestBadInput(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "bad")
	wants, err := filepath.Glob(filepath.Join(dir, "*.want"))
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) < 25 {
		t.Fatalf("only %d bad-input cases; the corpus needs at least 25", len(wants))
	}
	for _, path := range wants {
		name := strings.TrimSuffix(filepath.Base(path), ".want")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			args, code, stderr, err := parseWant(string(raw))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			got := runCLI(t, "", args...)
			if *update {
				head := string(raw[:strings.Index(string(raw), "\nexit:")])
				out := fmt.Sprintf("%s\nexit: %d\n--- stderr\n%s", head, got.code, got.stderr)
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got.code != code {
				t.Errorf("exit code %d, want %d", got.code, code)
			}
			if got.stderr != stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", got.stderr, stderr)
			}
			if code != 0 && got.stdout != "" {
				t.Errorf("a failed run wrote to stdout:\n%s", got.stdout)
			}
		})
	}
}

// parseWant splits a .want file into its arguments, exit code and stderr.
func parseWant(s string) (args []string, code int, stderr string, err error) {
	head, stderr, ok := strings.Cut(s, "--- stderr\n")
	if !ok {
		return nil, 0, "", fmt.Errorf("no \"--- stderr\" line")
	}
	for _, line := range strings.Split(strings.TrimSpace(head), "\n") {
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch key {
		case "args":
			args = strings.Fields(val)
		case "exit":
			if code, err = strconv.Atoi(val); err != nil {
				return nil, 0, "", fmt.Errorf("exit: %v", err)
			}
		default:
			return nil, 0, "", fmt.Errorf("unknown line %q", line)
		}
	}
	if len(args) == 0 {
		return nil, 0, "", fmt.Errorf("no args line")
	}
	return args, code, stderr, nil
}
