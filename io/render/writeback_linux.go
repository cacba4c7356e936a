//go:build linux

package render

import (
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// writebackStep is how many bytes an output collects before it asks the
// kernel to start writing them to disk.
const writebackStep = 16 << 20

// writeback starts the kernel's write-back of a temporary output while it
// is still being written, so that Commit's fsync finds little left to
// write: the kernel on its own writes dirty pages only from a share of the
// memory (10% by default, gigabytes), so a file of a few hundred MB would
// otherwise be written to disk only when fsync asks, after the output has
// been formatted. sync_file_range(SYNC_FILE_RANGE_WRITE) starts writing a
// range without waiting for it; it can still block while the device queue
// is full, so a goroutine issues it, never the writer. It changes nothing
// about durability: Commit still calls fsync. Its methods may be called
// concurrently (AbortAll stops a writeback from a signal handler while the
// output is being written).
type writeback struct {
	mu      sync.Mutex
	stopped bool
	f       *os.File
	written int64 // bytes written so far
	queued  int64 // bytes handed to the goroutine
	ranges  chan [2]int64
	done    chan struct{}
}

func newWriteback(f *os.File) *writeback {
	return &writeback{f: f}
}

// wrote records n more bytes written and hands every full step to the
// goroutine (started on the first), without waiting for it: a step that
// finds it busy waits for the next one.
func (w *writeback) wrote(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	w.written += int64(n)
	if w.written-w.queued < writebackStep {
		return
	}
	if w.ranges == nil {
		w.ranges, w.done = make(chan [2]int64, 1), make(chan struct{})
		go w.run()
	}
	select {
	case w.ranges <- [2]int64{w.queued, w.written - w.queued}:
		w.queued = w.written
	default:
	}
}

func (w *writeback) run() {
	defer close(w.done)
	conn, err := w.f.SyscallConn()
	if err != nil {
		for range w.ranges {
		}
		return
	}
	for r := range w.ranges {
		// Only a hint: an error (a file system without support) changes
		// nothing, fsync at Commit still writes everything.
		conn.Control(func(fd uintptr) {
			unix.SyncFileRange(int(fd), r[0], r[1], unix.SYNC_FILE_RANGE_WRITE)
		})
	}
}

// stop ends the goroutine (waiting for a call in progress); the file must
// stay open until it returns.
func (w *writeback) stop() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	w.stopped = true
	ranges, done := w.ranges, w.done
	w.mu.Unlock()
	if ranges != nil {
		close(ranges)
		<-done
	}
}
