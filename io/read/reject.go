package read

import (
	"encoding/csv"
	"fmt"
	"strconv"
)

// rejecter applies the bad-row policy: with no budget left the bad row's
// error stops the read; otherwise the row is counted and written to the
// rejects CSV (line, reason, raw).
type rejecter struct {
	max   int
	stats *Stats
	w     *csv.Writer
	rec   [3]string
}

func newRejecter(opt *Options, stats *Stats) *rejecter {
	r := &rejecter{max: opt.MaxErrors, stats: stats}
	if opt.Rejects != nil {
		r.w = csv.NewWriter(opt.Rejects)
		r.w.Write([]string{"line", "reason", "raw"}) //nolint:errcheck // checked in flush
	}
	return r
}

// bad handles one bad row. It returns a non-nil error when the read must stop.
func (r *rejecter) bad(e *Error, raw []byte) error {
	if e.fatal {
		return e
	}
	if r.stats.Rejected >= int64(r.max) {
		// The row that stops the read goes to the rejects file too, so
		// the file shows every row the run could not use.
		if err := r.write(e, raw); err != nil {
			return err
		}
		if r.max > 0 {
			e.Msg += fmt.Sprintf(" (more than %d bad rows; --max-errors %d)", r.max, r.max)
		}
		return e
	}
	r.stats.Rows++
	r.stats.Rejected++
	return r.write(e, raw)
}

// write adds a row to the rejects CSV, if there is one.
func (r *rejecter) write(e *Error, raw []byte) error {
	if r.w == nil {
		return nil
	}
	r.rec[0] = strconv.Itoa(e.Line)
	r.rec[1] = e.reason()
	r.rec[2] = string(raw)
	if err := r.w.Write(r.rec[:]); err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	return nil
}

// flush writes buffered rejects out.
func (r *rejecter) flush() error {
	if r.w == nil {
		return nil
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	return nil
}
