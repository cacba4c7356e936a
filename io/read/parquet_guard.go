package read

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/file"
)

// Defences against corrupt Parquet files: the footer is checked before
// decoding, decoding buffers are budgeted, and the library's panics are
// turned into errors.

// maxPrealloc bounds the rows a footer's count preallocates.
const maxPrealloc = 1 << 26

// checkFooter checks the footer before decoding: the row counts (not
// negative; the file's is the sum of its row groups') and that every row
// group has a readable chunk for every column of the schema (arrow decodes
// columns in goroutines of its own, where a nil chunk would crash the
// process instead of panicking inside guard). Call it inside guard.
func checkFooter(pf *file.Reader) error {
	total := pf.NumRows()
	if total < 0 {
		return fmt.Errorf("corrupt footer: %d rows", total)
	}
	md := pf.MetaData()
	cols := md.Schema.NumColumns()
	var sum int64
	for g := range pf.NumRowGroups() {
		rg := md.RowGroup(g)
		n := rg.NumRows()
		if n < 0 || n > total-sum {
			return fmt.Errorf("corrupt footer: row group %d claims %d rows of the file's %d", g, n, total)
		}
		sum += n
		if rg.NumColumns() != cols {
			return fmt.Errorf("corrupt footer: row group %d has %d column chunks for %d columns", g, rg.NumColumns(), cols)
		}
		for c := range cols {
			if _, err := rg.ColumnChunk(c); err != nil {
				return fmt.Errorf("corrupt footer: row group %d, column %d: %v", g, c, err)
			}
		}
	}
	if sum != total {
		return fmt.Errorf("corrupt footer: the row groups hold %d rows, the file %d", sum, total)
	}
	return nil
}

// bufferBudget caps the Arrow buffers of one file that are allocated and not
// yet released. Reading a well-formed file holds a few pages and one record
// batch (5 MB at most for a 13.6M-row, 113 MB file with 64K-row batches); a
// corrupt page header can claim gigabytes, and the budget turns that into an
// error instead of an out-of-memory crash.
const bufferBudget = 1 << 30

// errBudget is the panic value of an exhausted budgetAllocator.
var errBudget = errors.New("the file needs more than 1 GiB of decoding buffers at once (corrupt page sizes?)")

// budgetAllocator is an Arrow allocator that panics with errBudget when the
// bytes it has handed out and not had back exceed its limit.
type budgetAllocator struct {
	mem   memory.Allocator
	used  atomic.Int64
	limit int64
}

func newBudgetAllocator(limit int64) *budgetAllocator {
	return &budgetAllocator{mem: memory.NewGoAllocator(), limit: limit}
}

func (a *budgetAllocator) charge(n int) {
	if a.used.Add(int64(n)) > a.limit {
		a.used.Add(-int64(n))
		panic(errBudget)
	}
}

// Allocate implements memory.Allocator.
func (a *budgetAllocator) Allocate(size int) []byte {
	a.charge(size)
	return a.mem.Allocate(size)
}

// Reallocate implements memory.Allocator.
func (a *budgetAllocator) Reallocate(size int, b []byte) []byte {
	a.charge(size - len(b))
	return a.mem.Reallocate(size, b)
}

// Free implements memory.Allocator.
func (a *budgetAllocator) Free(b []byte) {
	a.used.Add(-int64(len(b)))
	a.mem.Free(b)
}

// guard runs f, turning a panic of the Parquet library (which it raises on
// some corrupt files) into an error.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && errors.Is(e, errBudget) {
				err = e
				return
			}
			err = fmt.Errorf("corrupt Parquet data: %v", r)
		}
	}()
	return f()
}
