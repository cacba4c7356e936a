package render

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// live holds the outputs being written, so a signal handler can remove their
// temporary files.
var live = struct {
	sync.Mutex
	files map[*Output]struct{}
}{files: map[*Output]struct{}{}}

// AbortAll discards every output still being written: temporary files and
// folders (CreateDir) are closed and removed, direct outputs (devices, FIFOs) are closed. Outputs
// not opened yet can no longer be opened. The command layer calls it when
// the process gets SIGINT, SIGTERM or SIGHUP, just before exiting.
func AbortAll() {
	live.Lock()
	files := live.files
	live.files = map[*Output]struct{}{}
	live.Unlock()
	abortDirOutputs()
	for o := range files {
		if !o.direct {
			// A direct output has nothing to remove, and its open may be
			// blocked on a FIFO without a reader: leave it to the exit.
			o.abort()
		}
	}
}

func untrack(o *Output) {
	live.Lock()
	delete(live.files, o)
	live.Unlock()
}

// OutputOptions controls Create.
type OutputOptions struct {
	// Force replaces an existing file that is read-only (no write
	// permission bit, or not writable by this user).
	Force bool
}

// ErrReadOnly is wrapped by the error of Create for a read-only target
// without OutputOptions.Force.
var ErrReadOnly = errors.New("the file is read-only")

// Output is a file being written. Nothing is created until the first Write
// (or Commit, for an empty output), so a run that fails before its output
// starts leaves nothing behind.
//
// Where the target is a regular file or does not exist, the data goes to a
// temporary file in the target's folder that Commit renames into place: a
// failed or aborted run leaves the target as it was. A symbolic link is
// followed (the file it points to is replaced, the link kept). A new file
// gets mode 0666 minus the umask; a replaced file keeps its mode (and, when
// the process may set it, its owner).
//
// Devices, FIFOs and /dev/stdout-style names (/dev/stdout, /dev/stderr,
// /dev/fd/N, /proc/self/fd/N) are written directly: they are never renamed
// over or removed, and Abort only closes them.
type Output struct {
	path   string      // as given, for messages
	target string      // the file renamed into place (symlinks resolved)
	direct bool        // write path itself (device, FIFO, stdout alias)
	keep   os.FileInfo // the existing target whose mode to keep; nil for a new file

	mu      sync.Mutex
	f       *os.File
	tmp     string     // temporary name ("" when direct or not opened)
	wb      *writeback // early write-back of the temporary file; nil when direct
	done    bool       // committed or aborted: no more writes
	openErr error
}

// Create prepares writing path. It checks the target now (a folder, a
// missing parent folder or a read-only file are errors here, before any
// work) but creates nothing until output starts.
func Create(path string, opt OutputOptions) (*Output, error) {
	o := &Output{path: path}
	if isStdioAlias(path) {
		o.direct = true
		return o.track(), nil
	}
	fi, err := os.Stat(path) // follows symbolic links
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target, err := resolveLinks(path)
		if err != nil {
			return nil, writeError(path, err)
		}
		dir := filepath.Dir(target)
		if di, err := os.Stat(dir); err != nil {
			return nil, writeError(path, err)
		} else if !di.IsDir() {
			return nil, fmt.Errorf("write %s: %s is not a folder", path, dir)
		}
		o.target = target
	case err != nil:
		return nil, writeError(path, err)
	case fi.IsDir():
		return nil, fmt.Errorf("write %s: is a folder", path)
	case fi.Mode().IsRegular():
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, writeError(path, err)
		}
		if !opt.Force && readOnly(target, fi) {
			return nil, fmt.Errorf("write %s: %w (mode %04o); use --force to replace it", path, ErrReadOnly, fi.Mode().Perm())
		}
		o.target, o.keep = target, fi
	default:
		// Character or block device, FIFO, socket: write in place.
		o.direct = true
	}
	return o.track(), nil
}

func (o *Output) track() *Output {
	live.Lock()
	live.files[o] = struct{}{}
	live.Unlock()
	return o
}

// isStdioAlias reports whether path names one of the process's open file
// descriptors, which must be written, not replaced.
func isStdioAlias(path string) bool {
	p := filepath.Clean(path)
	switch p {
	case "/dev/stdout", "/dev/stderr":
		return true
	}
	return strings.HasPrefix(p, "/dev/fd/") || strings.HasPrefix(p, "/proc/self/fd/")
}

// maxLinks bounds the symbolic links followed (as the kernel's ELOOP limit).
const maxLinks = 40

// resolveLinks follows symbolic links at path (which may dangle: the
// file they point to is created) and returns the final name.
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", errors.New("too many levels of symbolic links")
}

// Write writes to the output, creating it on the first call.
func (o *Output) Write(p []byte) (int, error) {
	f, err := o.open()
	if err != nil {
		return 0, err
	}
	n, err := f.Write(p)
	if o.wb != nil {
		o.wb.wrote(n)
	}
	if err != nil {
		return n, o.wrap(err)
	}
	return n, nil
}

// WriteString writes s.
func (o *Output) WriteString(s string) (int, error) { return o.Write([]byte(s)) }

// wrap names the output in err, dropping the *fs.PathError layer (which
// names the temporary file or repeats the path).
func (o *Output) wrap(err error) error { return writeError(o.path, err) }

func writeError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("write %s: %w", path, err)
}

// open creates the file or the temporary file once.
func (o *Output) open() (*os.File, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.f != nil || o.openErr != nil {
		return o.f, o.openErr
	}
	if o.done {
		return nil, fmt.Errorf("write %s: output already closed", o.path)
	}
	if o.direct {
		// O_APPEND: a stdout alias redirected to a file with >> appends.
		f, err := os.OpenFile(o.path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			o.openErr = o.wrap(err)
			return nil, o.openErr
		}
		o.f = f
		return f, nil
	}
	perm := os.FileMode(0o666) // the kernel applies the umask
	if o.keep != nil {
		perm = 0o600 // until Commit sets the kept mode
	}
	dir, base := filepath.Split(o.target)
	for range 100 {
		var rnd [6]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			o.openErr = o.wrap(err)
			return nil, o.openErr
		}
		name := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			o.openErr = o.wrap(err)
			return nil, o.openErr
		}
		o.f, o.tmp, o.wb = f, name, newWriteback(f)
		return f, nil
	}
	o.openErr = fmt.Errorf("write %s: cannot find a free temporary name", o.path)
	return nil, o.openErr
}

// Commit finishes the output: a temporary file is flushed to disk, given
// the kept mode and renamed into place; a direct output is closed. An output
// never written is created empty.
func (o *Output) Commit() error {
	f, err := o.open()
	if err != nil {
		o.Abort()
		return err
	}
	o.mu.Lock()
	if o.done {
		o.mu.Unlock()
		return fmt.Errorf("write %s: output was aborted", o.path)
	}
	o.done = true
	o.mu.Unlock()
	defer untrack(o)
	if o.direct {
		if err := f.Close(); err != nil {
			return o.wrap(err)
		}
		return nil
	}
	if o.wb != nil {
		o.wb.stop()
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(o.tmp)
		return o.wrap(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if o.keep != nil {
		keepOwner(f, o.keep)
		if err := f.Chmod(o.keep.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
			return fail(err)
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(o.tmp)
		return o.wrap(err)
	}
	if err := os.Rename(o.tmp, o.target); err != nil {
		os.Remove(o.tmp)
		return o.wrap(err)
	}
	return nil
}

// Abort discards the output: a temporary file is removed (the target is
// left as it was), a direct output closed. It is safe to call after Commit
// (it does nothing then).
func (o *Output) Abort() {
	untrack(o)
	o.abort()
}

func (o *Output) abort() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done {
		return
	}
	o.done = true
	if o.wb != nil {
		o.wb.stop()
	}
	if o.f != nil {
		o.f.Close()
	}
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}
