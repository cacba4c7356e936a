package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestBadInput runs every case of the bad-input corpus testdata/bad. Each
// NAME.want holds the command line ("args: ..."), the expected exit code
// ("exit: N"), after "--- stderr" the exact expected stderr and then, for
// each file the run must leave, "--- file NAME" and its exact content.
// $TMP in the arguments is a fresh folder; it must hold exactly the listed
// files afterwards (no output and no temporary file left by a failed run),
// and it reads as $TMP in stderr. Input files sit next to the .want file.
// go test ./cmd/clv -run TestBadInput -update rewrites the exit code, stderr
// and files from the current behaviour (review the diff before committing).
func TestBadInput(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "bad")
	wants, err := filepath.Glob(filepath.Join(dir, "*.want"))
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) < 60 {
		t.Fatalf("only %d bad-input cases; the corpus needs at least 60", len(wants))
	}
	for _, path := range wants {
		name := strings.TrimSuffix(filepath.Base(path), ".want")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			w, err := parseWant(string(raw))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			tmp, err := filepath.Abs(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			args := make([]string, len(w.args))
			for i, a := range w.args {
				args[i] = strings.ReplaceAll(a, "$TMP", tmp)
			}
			got := runCLI(t, "", args...)
			stderr := strings.ReplaceAll(got.stderr, tmp, "$TMP")
			left := leftFiles(t, tmp)
			if *update {
				head := string(raw[:strings.Index(string(raw), "\nexit:")])
				out := fmt.Sprintf("%s\nexit: %d\n--- stderr\n%s", head, got.code, stderr)
				for _, f := range left {
					b, err := os.ReadFile(filepath.Join(tmp, f))
					if err != nil {
						t.Fatal(err)
					}
					out += "--- file " + f + "\n" + string(b)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got.code != w.code {
				t.Errorf("exit code %d, want %d", got.code, w.code)
			}
			if stderr != w.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, w.stderr)
			}
			if w.code != 0 && got.stdout != "" {
				t.Errorf("a failed run wrote to stdout:\n%s", got.stdout)
			}
			var want []string
			for _, f := range w.files {
				want = append(want, f.name)
			}
			if !slices.Equal(left, want) {
				t.Errorf("files left in $TMP: %q, want %q", left, want)
			}
			for _, f := range w.files {
				b, err := os.ReadFile(filepath.Join(tmp, f.name))
				if err == nil && string(b) != f.content {
					t.Errorf("file %s:\n%s\nwant:\n%s", f.name, b, f.content)
				}
			}
		})
	}
}

// leftFiles lists the files under dir (hidden ones too), sorted.
func leftFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// want is a parsed .want file.
type want struct {
	args   []string
	code   int
	stderr string
	files  []wantFile
}

type wantFile struct{ name, content string }

// parseWant splits a .want file into its arguments, exit code, stderr and
// expected files.
func parseWant(s string) (w want, err error) {
	head, rest, ok := strings.Cut(s, "--- stderr\n")
	if !ok {
		return w, fmt.Errorf("no \"--- stderr\" line")
	}
	for _, line := range strings.Split(strings.TrimSpace(head), "\n") {
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch key {
		case "args":
			w.args = strings.Fields(val)
		case "exit":
			if w.code, err = strconv.Atoi(val); err != nil {
				return w, fmt.Errorf("exit: %v", err)
			}
		default:
			return w, fmt.Errorf("unknown line %q", line)
		}
	}
	if len(w.args) == 0 {
		return w, fmt.Errorf("no args line")
	}
	const marker = "--- file "
	parts := strings.Split(rest, "\n"+marker)
	if strings.HasPrefix(rest, marker) {
		parts = append([]string{""}, strings.Split(strings.TrimPrefix(rest, marker), "\n"+marker)...)
	}
	w.stderr = parts[0]
	if len(parts) > 1 && w.stderr != "" {
		w.stderr += "\n"
	}
	for i, p := range parts[1:] {
		name, content, _ := strings.Cut(p, "\n")
		if i+2 < len(parts) {
			content += "\n" // the split took the line break before the next marker
		}
		w.files = append(w.files, wantFile{name, content})
	}
	return w, nil
}
