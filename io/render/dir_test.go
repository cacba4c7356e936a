package render

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestCreateDir(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "lists")
	d, err := CreateDir(target, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a.csv", writeString("x\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("target exists before Commit")
	}
	if err := d.WriteFile("../b.csv", writeString("x")); err == nil {
		t.Error("a name with a path accepted")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, parent); len(got) != 1 || got[0] != "lists" {
		t.Errorf("parent holds %v, want only lists", got)
	}
	if b, _ := os.ReadFile(filepath.Join(target, "a.csv")); string(b) != "x\n" {
		t.Errorf("a.csv = %q", b)
	}

	// Not empty: refused without Force, replaced with it.
	if _, err := CreateDir(target, OutputOptions{}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("non-empty folder: %v, want ErrNotEmpty", err)
	}
	d, err = CreateDir(target, OutputOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("c.csv", writeString("y\n")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, target); len(got) != 1 || got[0] != "c.csv" {
		t.Errorf("replaced folder holds %v, want c.csv only", got)
	}
	if got := entries(t, parent); len(got) != 1 {
		t.Errorf("parent holds %v after the replace, want only lists", got)
	}

	// An empty folder is taken over without Force.
	empty := filepath.Join(parent, "empty")
	os.Mkdir(empty, 0o755)
	d, err = CreateDir(empty, OutputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("z.csv", writeString("z"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}

	// Abort, and AbortAll (what a signal does), leave nothing behind.
	for _, abort := range []func(*DirOutput){(*DirOutput).Abort, func(*DirOutput) { AbortAll() }} {
		gone := filepath.Join(parent, "gone")
		d, err := CreateDir(gone, OutputOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d.WriteFile("a.csv", writeString("half"))
		abort(d)
		if err := d.Commit(); err == nil {
			t.Error("Commit after abort succeeded")
		}
		if got := entries(t, parent); len(got) != 2 {
			t.Errorf("after abort the parent holds %v, want lists and empty", got)
		}
	}

	file := filepath.Join(parent, "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := CreateDir(file, OutputOptions{Force: true}); err == nil {
		t.Error("a file accepted as the lists folder")
	}
	if _, err := CreateDir(filepath.Join(parent, "no", "such"), OutputOptions{}); err == nil {
		t.Error("a missing parent accepted")
	}
}
