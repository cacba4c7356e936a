package read

import (
	"errors"
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// displayName is the name used in messages.
func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

// readTable dispatches name to the Parquet or the text reader.
func readTable(name string, spec *tableSpec, opt *Options, stats *Stats, sink rowSink) error {
	if isParquet(name) {
		if parquetReader == nil {
			return fmt.Errorf("read %s: Parquet input is not supported in this build", name)
		}
		return parquetReader(name, spec, opt, stats, sink)
	}
	return readText(name, spec, opt, stats, sink)
}

// readFlushed is readTable followed by writing out the rejected rows; the
// read error, if any, takes precedence over the flush error.
func readFlushed(name string, spec *tableSpec, opt *Options, stats *Stats, sink rowSink, rej *rejecter) error {
	err := readTable(name, spec, opt, stats, sink)
	if ferr := rej.flush(); err == nil {
		err = ferr
	}
	return err
}

// Transactions reads a transaction export (customer id, date, amount).
// Customers are interned in order of first appearance.
func Transactions(name string, opt Options) (*dataset.Transactions, Stats, error) {
	stats := Stats{File: displayName(name)}
	var t *dataset.Transactions
	if isParquet(name) {
		spec := transactionSpec()
		sink := newTxSink(spec, &opt, &stats)
		err := readFlushed(name, spec, &opt, &stats, sink, sink.rej)
		if err == nil {
			t, err = sink.transactions()
		}
		if err != nil {
			return nil, stats, err
		}
	} else {
		var err error
		if t, err = readTransactionsText(name, &opt, &stats, nil); err != nil {
			return nil, stats, err
		}
	}
	if opt.Dedupe {
		stats.Duplicates = dedupeTransactions(t)
	}
	return t, stats, nil
}

// Subscribers reads a subscriber export: customer id, activation date, churn
// date (empty = still active) and every other column as a text attribute.
func Subscribers(name string, opt Options) (*dataset.Subscribers, Stats, error) {
	stats := Stats{File: displayName(name)}
	spec := subscriberSpec()
	rej := newRejecter(&opt, &stats)
	sink := &subSink{conv: newConverter(spec, &opt), rej: rej, stats: &stats}
	err := readFlushed(name, spec, &opt, &stats, sink, rej)
	if err != nil {
		return nil, stats, err
	}
	s := &sink.out
	if opt.Dedupe {
		stats.Duplicates = dedupeSubscribers(s)
	}
	return s, stats, nil
}

// Summary reads a per-customer summary file such as clv summarize writes:
// at least customer_id, x, t_x and T; monetary and the other summary columns
// when present (the slices of absent columns are nil). The time unit of t_x
// and T is whatever the file was written with; AsOf is last_date +
// recency_days when both columns are present, NoDay otherwise.
func Summary(name string, opt Options) (*dataset.Summary, Stats, error) {
	stats := Stats{File: displayName(name)}
	spec := summarySpec()
	rej := newRejecter(&opt, &stats)
	sink := &sumSink{conv: newConverter(spec, &opt), rej: rej, stats: &stats}
	err := readFlushed(name, spec, &opt, &stats, sink, rej)
	if err != nil {
		return nil, stats, err
	}
	s := &sink.out
	if opt.Dedupe {
		stats.Duplicates = dedupeSummary(s)
	}
	if s.Len() == 0 {
		return nil, stats, &Error{File: stats.File, Msg: "no customers in the summary file"}
	}
	s.AsOf = dataset.NoDay
	if s.Last != nil && s.Recency != nil {
		s.AsOf = s.Last[0] + dataset.Day(s.Recency[0])
	}
	return s, stats, nil
}

// errEmpty is the message for a file without a header line.
var errEmpty = errors.New("empty file (no header line)")
