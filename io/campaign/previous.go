package campaign

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/segment"
)

// MaxPreviousRows bounds the rows ReadPrevious reads.
const MaxPreviousRows = 200_000_000

// previousColumns are the columns ReadPrevious needs, in Snapshot order.
var previousColumns = []string{"customer_id", "stage", "value_tier", "clv", "risk_score"}

// ReadPrevious reads a previous run's per-subscriber segment output: CSV
// (optionally gzipped) or a Parquet file, as clv segment writes them.
func ReadPrevious(name string) (*segment.Snapshot, error) {
	if isParquet(name) {
		return previous(name, func(add addFunc) error { return readParquet(name, add) })
	}
	r, closeFn, err := openText(name)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return ParsePrevious(r, name)
}

// ParsePrevious is ReadPrevious on CSV text already opened (name is for
// messages).
func ParsePrevious(r io.Reader, name string) (*segment.Snapshot, error) {
	if _, ok := r.(*lineGuard); !ok {
		r = &lineGuard{r: r}
	}
	return previous(name, func(add addFunc) error { return parseCSV(r, name, add) })
}

// addFunc takes one row: its line, the needed columns and the as_of text.
type addFunc func(line int, rec []string, asOf string) error

// previous builds a snapshot from the rows feed gives it.
func previous(name string, feed func(addFunc) error) (*segment.Snapshot, error) {
	s := &segment.Snapshot{AsOf: dataset.NoDay}
	var asOf string
	add := func(line int, rec []string, asOfCol string) error {
		if len(s.IDs) >= MaxPreviousRows {
			return fmt.Errorf("%s: %w: more than %d rows", name, ErrBadInput, MaxPreviousRows)
		}
		where := func(col string) string { return fmt.Sprintf("%s:%d: column %q", name, line, col) }
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return fmt.Errorf("%s: %w: empty customer id", where("customer_id"), ErrBadInput)
		}
		st, err := segment.ParseStage(strings.TrimSpace(rec[1]))
		if err != nil {
			return fmt.Errorf("%s: %w: %v", where("stage"), ErrBadInput, err)
		}
		var nums [2]float64
		for k, col := range []string{"clv", "risk_score"} {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[3+k]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: %w: %q is not a finite number", where(col), ErrBadInput, clip(rec[3+k]))
			}
			nums[k] = v
		}
		s.IDs = append(s.IDs, id)
		s.Stage = append(s.Stage, st)
		s.Tier = append(s.Tier, strings.TrimSpace(rec[2]))
		s.CLV = append(s.CLV, nums[0])
		s.Risk = append(s.Risk, nums[1])
		if asOfCol != "" {
			if asOf == "" {
				asOf = asOfCol
			} else if asOfCol != asOf {
				return fmt.Errorf("%s: %w: as_of %q differs from the first row's %q", where("as_of"), ErrBadInput, clip(asOfCol), clip(asOf))
			}
		}
		return nil
	}
	if err := feed(add); err != nil {
		return nil, err
	}
	if len(s.IDs) == 0 {
		return nil, fmt.Errorf("%s: %w: no rows", name, ErrBadInput)
	}
	if asOf != "" {
		t, err := time.Parse("2006-01-02", strings.TrimSpace(asOf))
		if err != nil {
			return nil, fmt.Errorf("%s: column \"as_of\": %w: %q is not a date as 2006-01-02", name, ErrBadInput, clip(asOf))
		}
		s.AsOf = dataset.DayOf(t)
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// columnsOf finds the needed columns and the optional as_of column in a
// header (index -1 when absent).
func columnsOf(name string, header []string) (idx []int, asOf int, err error) {
	asOf = -1
	pos := map[string]int{}
	for k, h := range header {
		h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
		if _, ok := pos[h]; !ok {
			pos[h] = k
		}
	}
	for _, c := range previousColumns {
		k, ok := pos[c]
		if !ok {
			return nil, -1, fmt.Errorf("%s:1: %w: no %q column (want the per-subscriber output of clv segment: %s); columns are: %s",
				name, ErrBadInput, c, strings.Join(previousColumns, ", "), clip(strings.Join(header, ", ")))
		}
		idx = append(idx, k)
	}
	if k, ok := pos["as_of"]; ok {
		asOf = k
	}
	return idx, asOf, nil
}

func isParquet(name string) bool {
	if strings.HasSuffix(strings.ToLower(name), ".parquet") {
		return true
	}
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	return n == 4 && string(magic[:]) == "PAR1"
}

func parseCSV(r io.Reader, name string, add addFunc) error {
	br := bufio.NewReader(r)
	first, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", name, err)
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(first), br))
	cr.Comma = sniff(strings.TrimRight(first, "\r\n"))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: %w: empty file", name, ErrBadInput)
		}
		return fmt.Errorf("%s: %w: %v", name, ErrBadInput, err)
	}
	idx, asOfCol, err := columnsOf(name, head)
	if err != nil {
		return err
	}
	rec := make([]string, len(idx))
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w: %v", name, ErrBadInput, err)
		}
		line, _ := cr.FieldPos(0)
		for k, c := range idx {
			rec[k] = row[c]
		}
		asOf := ""
		if asOfCol >= 0 {
			asOf = row[asOfCol]
		}
		if err := add(line, rec, asOf); err != nil {
			return err
		}
	}
}

// readParquet reads the needed columns of a Parquet file batch by batch;
// any column type is read as its text (ValueStr). A panic of the Parquet
// library on a corrupt file is an error.
func readParquet(name string, add addFunc) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: %w: not a readable Parquet file (%v)", name, ErrBadInput, p)
		}
	}()
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w: not a readable Parquet file: %v", name, ErrBadInput, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("%s: %w: not a readable Parquet file: %v", name, ErrBadInput, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("%s: %w: unsupported Parquet schema: %v", name, ErrBadInput, err)
	}
	var header []string
	for _, fl := range schema.Fields() {
		header = append(header, fl.Name)
	}
	idx, asOfCol, err := columnsOf(name, header)
	if err != nil {
		return err
	}
	want := append([]int(nil), idx...)
	if asOfCol >= 0 {
		want = append(want, asOfCol)
	}
	rr, err := fr.GetRecordReader(context.Background(), want, nil)
	if err != nil {
		return fmt.Errorf("%s: %w: %v", name, ErrBadInput, err)
	}
	defer rr.Release()
	rec := make([]string, len(idx))
	row := 0
	for rr.Next() {
		b := rr.Record()
		cols := make([]arrow.Array, len(want))
		for k := range want {
			cols[k] = b.Column(k)
		}
		for i := 0; i < int(b.NumRows()); i++ {
			row++
			for k := range idx {
				rec[k] = text(cols[k], i)
			}
			asOf := ""
			if asOfCol >= 0 {
				asOf = text(cols[len(idx)], i)
			}
			// Row numbers count the data rows from 1; line = row + 1 as in a CSV.
			if err := add(row+1, rec, asOf); err != nil {
				return err
			}
		}
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w: %v", name, ErrBadInput, err)
	}
	return nil
}

// text returns value i of a column as text ("" for a null).
func text(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	return a.ValueStr(i)
}
