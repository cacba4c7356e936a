//go:build unix

package main

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as clv: with CLV_TEST_MAIN=1 it runs
// the command line in os.Args (after "--") as main does, so signal tests
// run the real process without building a second binary.
func TestMain(m *testing.M) {
	if os.Getenv("CLV_TEST_MAIN") == "1" {
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr, false))
	}
	os.Exit(m.Run())
}

const smallTx = "testdata/bad/max_errors_allowed.csv" // a valid 3-customer input (with --max-errors 5)

// summarizeTo runs summarize on smallTx writing -o out (plus extra flags).
func summarizeTo(t *testing.T, out string, extra ...string) cliResult {
	t.Helper()
	return runCLI(t, "", append([]string{"summarize", "-q", "-t", smallTx, "--max-errors", "5", "-o", out}, extra...)...)
}

// expected is what summarize writes for smallTx.
func expected(t *testing.T) string {
	t.Helper()
	r := runCLI(t, "", "summarize", "-q", "-t", smallTx, "--max-errors", "5", "--format", "csv")
	if r.code != 0 || r.stdout == "" {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	return r.stdout
}

// TestOutputDevice: -o on a character device writes to it; the device is
// never replaced by a regular file (as /dev/full and /dev/null were, as root).
func TestOutputDevice(t *testing.T) {
	for _, c := range []struct {
		path, stderr string
		code         int
	}{
		{"/dev/null", "", 0},
		{"/dev/full", "clv: write /dev/full: no space left on device\n", 1},
	} {
		before, err := os.Stat(c.path)
		if err != nil || before.Mode()&fs.ModeCharDevice == 0 {
			t.Skipf("%s is not a character device here", c.path)
		}
		r := summarizeTo(t, c.path)
		if r.code != c.code || r.stderr != c.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", c.path, r.code, r.stderr, c.code, c.stderr)
		}
		after, err := os.Stat(c.path)
		if err != nil || after.Mode() != before.Mode() {
			t.Fatalf("%s: mode %v, was %v (%v)", c.path, after.Mode(), before.Mode(), err)
		}
	}
}

// TestOutputFIFO: the FIFO's reader receives the output and the FIFO stays
// a FIFO (it used to be renamed over by a regular file, the reader got nothing).
func TestOutputFIFO(t *testing.T) {
	want := expected(t)
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the writer opens it
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	r := summarizeTo(t, fifo)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if s := <-got; s != want {
		t.Errorf("reader got %q, want %q", s, want)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is now %v (%v)", fi.Mode(), err)
	}
}

// TestOutputSymlink: a symbolic link is followed: the file it points to is
// replaced (keeping its mode), the link stays a link.
func TestOutputSymlink(t *testing.T) {
	want := expected(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.csv", link); err != nil {
		t.Fatal(err)
	}
	if r := summarizeTo(t, link); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link is now %v (%v)", fi.Mode(), err)
	}
	b, err := os.ReadFile(target)
	if err != nil || string(b) != want {
		t.Errorf("target holds %q (%v)", b, err)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("target mode %v, want 0640 kept", fi.Mode().Perm())
	}
	// A dangling link: the file it names is created.
	dangling := filepath.Join(dir, "dangling.csv")
	if err := os.Symlink("new.csv", dangling); err != nil {
		t.Fatal(err)
	}
	if r := summarizeTo(t, dangling); r.code != 0 {
		t.Fatalf("dangling link: exit %d: %s", r.code, r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "new.csv")); err != nil || string(b) != want {
		t.Errorf("dangling link target holds %q (%v)", b, err)
	}
	if fi, err := os.Lstat(dangling); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the dangling link is now %v (%v)", fi.Mode(), err)
	}
}

// TestOutputReadOnly: a file without write permission is refused (even for
// root) and left as it was; --force replaces it and keeps its mode. Other
// modes are kept as they were (0600 used to become 0644).
func TestOutputReadOnly(t *testing.T) {
	want := expected(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "ro.csv")
	if err := os.WriteFile(p, []byte("keep"), 0o444); err != nil {
		t.Fatal(err)
	}
	r := summarizeTo(t, p)
	wantErr := "clv: write " + p + ": the file is read-only (mode 0444); use --force to replace it\n"
	if r.code != 1 || r.stderr != wantErr {
		t.Errorf("exit %d, stderr %q; want 1, %q", r.code, r.stderr, wantErr)
	}
	if b, _ := os.ReadFile(p); string(b) != "keep" {
		t.Errorf("read-only file now holds %q", b)
	}
	if r := summarizeTo(t, p, "--force"); r.code != 0 {
		t.Fatalf("--force: exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Errorf("--force: file holds %q", b)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o444 {
		t.Errorf("--force: mode %v, want 0444 kept", fi.Mode().Perm())
	}
	private := filepath.Join(dir, "private.csv")
	if err := os.WriteFile(private, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := summarizeTo(t, private); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if fi, _ := os.Stat(private); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("files left: %v", ents)
	}
}

// TestOutputUmask: a new file gets 0666 minus the umask (per-customer
// revenue files used to be 0644 whatever the umask).
func TestOutputUmask(t *testing.T) {
	for _, c := range []struct{ umask, mode fs.FileMode }{{0o077, 0o600}, {0o022, 0o644}, {0o002, 0o664}} {
		p := filepath.Join(t.TempDir(), "new.csv")
		old := syscall.Umask(int(c.umask))
		r := summarizeTo(t, p)
		syscall.Umask(old)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != c.mode {
			t.Errorf("umask %04o: mode %v, want %v (%v)", c.umask, fi.Mode().Perm(), c.mode, err)
		}
	}
}

// TestOutputSameForSaveChartRejects: --rejects goes through the same
// output path: a read-only rejects file is refused before the read.
func TestOutputSameForRejects(t *testing.T) {
	dir := t.TempDir()
	rej := filepath.Join(dir, "rejects.csv")
	if err := os.WriteFile(rej, []byte("keep"), 0o444); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "summarize", "-q", "-t", smallTx, "--max-errors", "5", "--rejects", rej, "-o", filepath.Join(dir, "out.csv"))
	if r.code != 1 || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left: %v", ents)
	}
}

// TestSignals runs clv as a real process reading stdin, stops it with each
// signal while it waits for input, and checks the exit code (128 + the
// signal), the message, and that no output or temporary file is left.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		msg  string
	}{
		{syscall.SIGTERM, 143, "clv: terminated (SIGTERM)\n"},
		{syscall.SIGHUP, 129, "clv: hangup (SIGHUP)\n"},
		{syscall.SIGINT, 130, "clv: interrupted\n"},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "summarize", "-t", "-",
				"--rejects", filepath.Join(dir, "rejects.csv"), "--max-errors", "5", "-o", filepath.Join(dir, "out.csv"))
			cmd.Env = append(os.Environ(), "CLV_TEST_MAIN=1")
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// A hang guard, not a speed check: kill the process after a
			// minute (the reads below then end and the checks fail).
			guard := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
			defer guard.Stop()
			// More than the 64 KiB the reader takes for the header, so the
			// header is parsed (and noted); the process then waits for more.
			var in strings.Builder
			in.WriteString("customer_id,date,amount\n")
			for in.Len() < 128<<10 {
				in.WriteString("A,2024-01-01,1\n")
			}
			io.WriteString(stdin, in.String())
			br := bufio.NewReader(stderr)
			first, err := br.ReadString('\n') // the column note: the read has started
			if err != nil || !strings.Contains(first, "using columns") {
				t.Fatalf("first stderr line %q (%v)", first, err)
			}
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(br)
			err = cmd.Wait()
			stdin.Close()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Errorf("exit %v, want %d", err, c.code)
			}
			if string(rest) != c.msg {
				t.Errorf("stderr after the signal %q, want %q", rest, c.msg)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("files left: %v", ents)
			}
		})
	}
}

// TestHelpDocumentsExitCodes: --help lists every exit code.
func TestHelpDocumentsExitCodes(t *testing.T) {
	r := runCLI(t, "", "--help")
	for _, s := range []string{"129  hangup (SIGHUP)", "130  interrupted", "143  terminated (SIGTERM", "--force"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("--help lacks %q", s)
		}
	}
}
