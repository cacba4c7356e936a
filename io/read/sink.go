package read

import (
	"fmt"
	"math"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
)

// cell is one value of a row handed to a rowSink: text (CSV, Parquet string
// columns), or a value a typed Parquet column already converted (typed: day
// for date columns, num for number columns), or null.
type cell struct {
	text  []byte
	typed bool
	null  bool
	day   dataset.Day
	num   float64
}

// rowSink receives the rows of one table in file order. begin is called once
// per input file (a folder of Parquet files has several) with the resolved
// columns; row once per data row with cells[i] the value of spec column i
// (null when the column is absent), attrs the attribute columns' text, raw
// the row as text (for the rejects file) and line its physical line (1 =
// header) or, for Parquet, its row number counting the first row as 1.
// The sink owns the counting (Stats) and the bad-row policy; a non-nil
// error from row stops the read.
type rowSink interface {
	begin(file string, cols *columnMap) error
	row(line int, cells []cell, attrs [][]byte, raw []byte) error
	// rejects returns the sink's bad-row policy, for rows that are
	// malformed before they have cells (wrong field count, bad quoting).
	rejects() *rejecter
}

func (s *txSink) rejects() *rejecter  { return s.rej }
func (s *subSink) rejects() *rejecter { return s.rej }
func (s *sumSink) rejects() *rejecter { return s.rej }

// converter turns the cells of a row into typed values, producing the
// *Error of the first bad cell.
type converter struct {
	progress func(rows int64) // Options.RowProgress
	file     string
	spec     *tableSpec
	cols     *columnMap
	dates    dateParser
	days     []dataset.Day
	nums     []float64
	texts    [][]byte
}

func newConverter(spec *tableSpec, opt *Options) *converter {
	n := len(spec.cols)
	return &converter{progress: opt.RowProgress, spec: spec, dates: dateParser{layout: opt.DateFormat},
		days: make([]dataset.Day, n), nums: make([]float64, n), texts: make([][]byte, n)}
}

func (c *converter) begin(file string, cols *columnMap) {
	c.file, c.cols = file, cols
}

// convert fills days/nums/texts from cells; absent optional columns get
// NoDay, NaN or nil.
func (c *converter) convert(line int, cells []cell) *Error {
	for i := range c.spec.cols {
		cs := &c.spec.cols[i]
		ce := &cells[i]
		absent := c.cols.index[i] < 0
		switch cs.kind {
		case kindID:
			t := trimSpace(ce.text)
			if ce.null || len(t) == 0 {
				return c.err(line, i, "", "empty customer id")
			}
			c.texts[i] = t
		case kindText:
			c.texts[i] = ce.text
		case kindDate, kindOptDate:
			if absent {
				c.days[i] = dataset.NoDay
				continue
			}
			if ce.typed && !ce.null {
				c.days[i] = ce.day
				continue
			}
			d, st := c.dates.parse(ce.text)
			if ce.null {
				st = dateEmpty
			}
			switch st {
			case dateOK:
				c.days[i] = d
			case dateEmpty:
				if cs.kind == kindOptDate {
					c.days[i] = dataset.NoDay
					continue
				}
				return c.err(line, i, "", "empty date")
			case dateImpossible:
				return c.err(line, i, string(ce.text), fmt.Sprintf("%s is not a calendar date", quoteValue(trimSpace(ce.text))))
			default:
				msg := fmt.Sprintf("cannot parse %s as a date", quoteValue(ce.text))
				if c.dates.layout != "" {
					msg += fmt.Sprintf(" with --date-format %q", c.dates.layout)
				}
				return c.err(line, i, string(ce.text), msg)
			}
		case kindNumber:
			if absent {
				c.nums[i] = math.NaN()
				continue
			}
			if ce.typed && !ce.null {
				if math.IsNaN(ce.num) || math.IsInf(ce.num, 0) {
					return c.err(line, i, "", fmt.Sprintf("%v is not a finite number", ce.num))
				}
				c.nums[i] = ce.num
				continue
			}
			if ce.null || len(trimSpace(ce.text)) == 0 {
				return c.err(line, i, "", "empty value")
			}
			v, ok := parseAmount(ce.text)
			if !ok {
				return c.err(line, i, string(ce.text), fmt.Sprintf("cannot parse %s as a number", quoteValue(ce.text)))
			}
			c.nums[i] = v
		}
	}
	return nil
}

func (c *converter) err(line, col int, value, msg string) *Error {
	return &Error{File: c.file, Line: line, Column: c.cols.name(col), Value: value, Msg: msg}
}

// txSink builds a dataset.Transactions from rows handed over one at a time
// (Parquet). Ids are hashed into blocks and interned in batches by the same
// partitioned tables as the text reader; cust holds partition codes until
// finish renumbers them.
type txSink struct {
	conv  *converter
	rej   *rejecter
	stats *Stats
	hs    *idHasher
	parts *partitioned
	cust  []int32
	day   []dataset.Day
	amt   []float64
	cur   *txBlock   // ids of the rows since the last block
	batch []*txBlock // grouped blocks waiting to be interned
	base  []int      // index in cust of each batch block's first row
	spare []*txBlock
	// agg, when set, takes the rows instead of cust/day/amt (a streaming
	// read): the blocks carry their days and amounts, base counts rows.
	agg       *aggregator
	rows      int
	dictCodes pqDictCodes // the Parquet batch path's id dictionary
	idx       []int32
}

// sinkBlockRows is the number of rows per block of a txSink.
var sinkBlockRows = 1 << 17

func newTxSink(spec *tableSpec, opt *Options, stats *Stats) *txSink {
	return &txSink{conv: newConverter(spec, opt), rej: newRejecter(opt, stats), stats: stats,
		hs: newIDHasher(), parts: new(partitioned)}
}

func (s *txSink) begin(file string, cols *columnMap) error {
	s.conv.begin(file, cols)
	return nil
}

func (s *txSink) row(line int, cells []cell, _ [][]byte, raw []byte) error {
	if e := s.conv.convert(line, cells); e != nil {
		return s.rej.bad(e, raw)
	}
	if s.cur == nil {
		if n := len(s.spare); n > 0 {
			s.cur, s.spare = s.spare[n-1], s.spare[:n-1]
			s.cur.reset(0)
		} else {
			s.cur = &txBlock{}
		}
		if s.agg != nil {
			s.base = append(s.base, s.rows)
		} else {
			s.base = append(s.base, len(s.cust))
		}
	}
	b := s.cur
	b.add(s.hs, s.conv.texts[0], s.conv.days[1], s.conv.nums[2])
	if s.agg != nil {
		s.rows++
	} else {
		s.cust = append(s.cust, 0)
		s.day = append(s.day, s.conv.days[1])
		s.amt = append(s.amt, s.conv.nums[2])
	}
	s.stats.Rows++
	s.stats.Accepted++
	if len(b.rows) == sinkBlockRows {
		if p := s.conv.progress; p != nil {
			p(s.stats.Rows)
		}
		return s.flush(false)
	}
	return nil
}

// flush closes the current block and interns the batch when it is full (or
// when all is set).
func (s *txSink) flush(all bool) error {
	if s.cur != nil {
		s.cur.group()
		s.batch = append(s.batch, s.cur)
		s.cur = nil
	}
	if len(s.batch) == 0 || (!all && len(s.batch) < batchBlocks) {
		return nil
	}
	if err := s.parts.intern(s.batch, s.base, s.cust, 1, s.agg); err != nil {
		return &Error{File: s.conv.file, Msg: err.Error()}
	}
	s.spare = append(s.spare, s.batch...)
	s.batch, s.base = s.batch[:0], s.base[:0]
	return nil
}

// transactions finishes the table.
func (s *txSink) transactions() (*dataset.Transactions, error) {
	if err := s.flush(true); err != nil {
		return nil, err
	}
	ids := s.parts.finish(s.cust)
	return &dataset.Transactions{IDs: ids, Customer: s.cust, Day: s.day, Amount: s.amt}, nil
}

// subSink builds a dataset.Subscribers.
type subSink struct {
	conv  *converter
	rej   *rejecter
	stats *Stats
	out   dataset.Subscribers
	names []string // attribute names of the first file
	// values shares the strings of repeated attribute values (plan, region,
	// ...): one map per attribute, dropped past maxShared distinct values.
	values []map[string]string
}

// maxShared is the number of distinct values of an attribute beyond which
// its values are no longer shared (a high-cardinality column).
const maxShared = 1 << 12

// attr returns the string of attribute k's value b, shared with earlier
// equal values while the attribute has few distinct values.
func (s *subSink) attr(k int, b []byte) string {
	m := s.values[k]
	if m == nil {
		return string(b)
	}
	if v, ok := m[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(m) >= maxShared {
		s.values[k] = nil
	} else {
		m[v] = v
	}
	return v
}

func (s *subSink) begin(file string, cols *columnMap) error {
	s.conv.begin(file, cols)
	names := make([]string, len(cols.attrs)) // not nil: s.names == nil means no file yet
	copy(names, cols.names)
	if s.names == nil {
		s.names = names
		s.out.AttrNames = names
		s.out.Attrs = make([][]string, len(names))
		s.values = make([]map[string]string, len(names))
		for k := range s.values {
			s.values[k] = map[string]string{}
		}
		return nil
	}
	if !slices.Equal(names, s.names) {
		return fileError(file, 0, "attribute columns %v differ from the first file's %v", names, s.names)
	}
	return nil
}

func (s *subSink) row(line int, cells []cell, attrs [][]byte, raw []byte) error {
	c := s.conv
	if e := c.convert(line, cells); e != nil {
		return s.rej.bad(e, raw)
	}
	act, churn := c.days[1], c.days[2]
	if churn != dataset.NoDay && churn < act {
		e := c.err(line, 2, "", fmt.Sprintf("churn date %s is before activation date %s", churn, act))
		return s.rej.bad(e, raw)
	}
	s.out.ID = append(s.out.ID, cloneString(c.texts[0]))
	s.out.Activation = append(s.out.Activation, act)
	s.out.Churn = append(s.out.Churn, churn)
	for k := range s.out.Attrs {
		s.out.Attrs[k] = append(s.out.Attrs[k], s.attr(k, trimSpace(attrs[k])))
	}
	s.stats.Rows++
	s.stats.Accepted++
	return nil
}

// sumSink builds a dataset.Summary from a per-customer summary file.
type sumSink struct {
	conv    *converter
	rej     *rejecter
	stats   *Stats
	out     dataset.Summary
	present []bool // per spec column
}

func (s *sumSink) begin(file string, cols *columnMap) error {
	s.conv.begin(file, cols)
	present := make([]bool, len(cols.index))
	for i, p := range cols.index {
		present[i] = p >= 0
	}
	if s.present == nil {
		s.present = present
		return nil
	}
	if !slices.Equal(present, s.present) {
		return fileError(file, 0, "summary columns differ from the first file's")
	}
	return nil
}

// wholeCount checks that v is a non-negative whole number.
func wholeCount(v float64) bool { return v >= 0 && v == math.Trunc(v) && v < 1<<53 }

func (s *sumSink) row(line int, cells []cell, _ [][]byte, raw []byte) error {
	c := s.conv
	if e := c.convert(line, cells); e != nil {
		return s.rej.bad(e, raw)
	}
	n := c.nums
	bad := func(col int, msg string) error { return s.rej.bad(c.err(line, col, "", msg), raw) }
	switch {
	case !wholeCount(n[sumX]) || n[sumX] > math.MaxInt32:
		return bad(sumX, fmt.Sprintf("x = %v is not a whole number of repeat transactions", n[sumX]))
	case n[sumTx] < 0:
		return bad(sumTx, fmt.Sprintf("t_x = %v is negative", n[sumTx]))
	case n[sumT] < n[sumTx]:
		return bad(sumT, fmt.Sprintf("T = %v is less than t_x = %v", n[sumT], n[sumTx]))
	case n[sumX] > 0 && n[sumTx] == 0:
		return bad(sumTx, fmt.Sprintf("t_x = 0 with x = %v repeat transactions", n[sumX]))
	}
	for _, k := range []int{sumTransactions, sumPeriods, sumRecency, sumTenure} {
		if s.present[k] && (!wholeCount(n[k]) || n[k] > math.MaxInt32) {
			return bad(k, fmt.Sprintf("%v is not a whole non-negative number", n[k]))
		}
	}
	o := &s.out
	o.IDs = append(o.IDs, cloneString(c.texts[sumCustomer]))
	o.X = append(o.X, int32(n[sumX]))
	o.Tx = append(o.Tx, n[sumTx])
	o.T = append(o.T, n[sumT])
	if s.present[sumMonetary] {
		o.Monetary = append(o.Monetary, n[sumMonetary])
	}
	if s.present[sumFirst] {
		o.First = append(o.First, c.days[sumFirst])
	}
	if s.present[sumLast] {
		o.Last = append(o.Last, c.days[sumLast])
	}
	if s.present[sumActivation] {
		o.Activation = append(o.Activation, c.days[sumActivation])
	}
	if s.present[sumTransactions] {
		o.Transactions = append(o.Transactions, int64(n[sumTransactions]))
	}
	if s.present[sumPeriods] {
		o.Periods = append(o.Periods, int32(n[sumPeriods]))
	}
	if s.present[sumTotal] {
		o.Total = append(o.Total, n[sumTotal])
	}
	if s.present[sumMean] {
		o.Mean = append(o.Mean, n[sumMean])
	}
	if s.present[sumRecency] {
		o.Recency = append(o.Recency, int32(n[sumRecency]))
	}
	if s.present[sumTenure] {
		o.Tenure = append(o.Tenure, int32(n[sumTenure]))
	}
	s.stats.Rows++
	s.stats.Accepted++
	return nil
}

// cloneString copies b into a new string, for values that must outlive the
// buffer they were parsed from.
func cloneString(b []byte) string { return string(b) }
