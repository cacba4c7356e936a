package render

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// liveDirOutputs holds the folders being written, so AbortAll can remove them.
var liveDirOutputs = struct {
	sync.Mutex
	dirs map[*DirOutput]struct{}
}{dirs: map[*DirOutput]struct{}{}}

// abortDirOutputs removes every folder still being written (AbortAll).
func abortDirOutputs() {
	liveDirOutputs.Lock()
	dirs := liveDirOutputs.dirs
	liveDirOutputs.dirs = map[*DirOutput]struct{}{}
	liveDirOutputs.Unlock()
	for d := range dirs {
		d.abort()
	}
}

// ErrNotEmpty is wrapped by the error of CreateDir for an existing folder
// that holds files, without OutputOptions.Force.
var ErrNotEmpty = errors.New("the folder is not empty")

// DirOutput is a folder of files written as one: the files go to a hidden
// temporary folder beside the target, which Commit renames into place, so a
// failed or interrupted run leaves no half-written folder and the target as
// it was. The temporary folder is created with mode 0777 minus the umask,
// the files with 0666 minus the umask.
type DirOutput struct {
	path string // as given, for messages
	tmp  string
	// replace is true when the target exists (empty, or Force): Commit
	// moves it aside first.
	replace bool

	mu   sync.Mutex
	done bool
}

// CreateDir prepares writing the folder path. It refuses a path that is not
// a folder, and an existing folder with files in it unless opt.Force (which
// replaces the folder and everything in it on Commit). The checks are made
// now, before any work; the temporary folder is created at once.
func CreateDir(path string, opt OutputOptions) (*DirOutput, error) {
	d := &DirOutput{path: path}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, writeError(path, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("write %s: not a folder", path)
	default:
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, writeError(path, err)
		}
		if len(entries) > 0 && !opt.Force {
			return nil, fmt.Errorf("write %s: %w (%d entries); use --force to replace it", path, ErrNotEmpty, len(entries))
		}
		d.replace = true
	}
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	if pi, err := os.Stat(parent); err != nil {
		return nil, writeError(path, err)
	} else if !pi.IsDir() {
		return nil, fmt.Errorf("write %s: %s is not a folder", path, parent)
	}
	for range 100 {
		var rnd [6]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return nil, writeError(path, err)
		}
		name := filepath.Join(parent, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
		err := os.Mkdir(name, 0o777)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, writeError(path, err)
		}
		d.tmp = name
		liveDirOutputs.Lock()
		liveDirOutputs.dirs[d] = struct{}{}
		liveDirOutputs.Unlock()
		return d, nil
	}
	return nil, fmt.Errorf("write %s: cannot find a free temporary name", path)
}

// WriteFile writes one file of the folder; name is a plain file name.
func (d *DirOutput) WriteFile(name string, write func(io.Writer) error) error {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("write %s: bad file name %q", d.path, name)
	}
	d.mu.Lock()
	done := d.done
	d.mu.Unlock()
	if done {
		return fmt.Errorf("write %s: output already closed", d.path)
	}
	target := filepath.Join(d.path, name)
	f, err := os.OpenFile(filepath.Join(d.tmp, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return writeError(target, err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return writeError(target, err)
	}
	return nil
}

// Commit renames the temporary folder into place; an existing target
// (empty, or replaced with Force) is moved aside first and removed after.
func (d *DirOutput) Commit() error {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return fmt.Errorf("write %s: output was aborted", d.path)
	}
	d.done = true
	d.mu.Unlock()
	defer d.untrack()
	fail := func(err error) error {
		os.RemoveAll(d.tmp)
		return writeError(d.path, err)
	}
	if !d.replace {
		if err := os.Rename(d.tmp, d.path); err != nil {
			return fail(err)
		}
		return nil
	}
	old := d.tmp + ".old"
	if err := os.Rename(d.path, old); err != nil {
		return fail(err)
	}
	if err := os.Rename(d.tmp, d.path); err != nil {
		os.Rename(old, d.path) // put the previous folder back
		return fail(err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("write %s: written, but the replaced folder %s could not be removed: %w", d.path, old, err)
	}
	return nil
}

// Abort removes the temporary folder (the target is left as it was). It is
// safe to call after Commit (it does nothing then).
func (d *DirOutput) Abort() {
	d.untrack()
	d.abort()
}

func (d *DirOutput) untrack() {
	liveDirOutputs.Lock()
	delete(liveDirOutputs.dirs, d)
	liveDirOutputs.Unlock()
}

func (d *DirOutput) abort() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	d.done = true
	os.RemoveAll(d.tmp)
}
