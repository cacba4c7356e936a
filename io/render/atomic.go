package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// live holds the atomic files being written, so an interrupt can remove them.
var live = struct {
	sync.Mutex
	files map[*AtomicFile]struct{}
}{files: map[*AtomicFile]struct{}{}}

// AbortAll removes every atomic file still being written. The command layer
// calls it when the process is interrupted, just before exiting.
func AbortAll() {
	live.Lock()
	defer live.Unlock()
	for a := range live.files {
		a.File.Close()
		os.Remove(a.File.Name())
		a.done = true
	}
	live.files = map[*AtomicFile]struct{}{}
}

func untrack(a *AtomicFile) {
	live.Lock()
	delete(live.files, a)
	live.Unlock()
}

// AtomicFile is a file written under a temporary name in the destination
// folder and renamed into place by Commit. Abort (or a failed Commit) removes
// it, so readers never see a half-written file.
type AtomicFile struct {
	*os.File
	path string
	done bool
}

// CreateAtomic starts writing path atomically.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	a := &AtomicFile{File: f, path: path}
	live.Lock()
	live.files[a] = struct{}{}
	live.Unlock()
	return a, nil
}

// Commit flushes the file to disk and renames it into place.
func (a *AtomicFile) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	defer untrack(a)
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(a.File.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := os.Chmod(a.File.Name(), 0o644); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := os.Rename(a.File.Name(), a.path); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort discards the file. It is safe to call after Commit (it does nothing then).
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	defer untrack(a)
	a.File.Close()
	os.Remove(a.File.Name())
}
