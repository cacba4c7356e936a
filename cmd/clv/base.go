package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
)

// baseFlags are the flags that place the data on the observation window and
// choose the retention groups: shared by every command that fits retention.
type baseFlags struct {
	observedFrom    string
	allowFutureAsOf bool
	retentionBy     string
	minGroup        int
	marginWindow    int
}

const (
	withObserved   = 1 << iota // --observed-from
	withGroups                 // --retention-by, --min-subscribers
	withMargin                 // --margin-window
	withFutureAsOf             // --allow-future-as-of
)

func addBaseFlags(cmd *cobra.Command, f *baseFlags, kinds int) {
	fl := cmd.Flags()
	if kinds&withObserved != 0 {
		fl.StringVar(&f.observedFrom, "observed-from", "auto", "observation start of the subscriber export: a `DATE` (only subscribers active on it or activated later are in the export: left truncation), auto (detected: activations before the first transaction and no churn before it) or none")
	}
	if kinds&withGroups != 0 {
		fl.StringVar(&f.retentionBy, "retention-by", "", "one sBG retention fit per value of this subscriber `COLUMN` for future value (default: plan when the export has it; none = one pooled fit)")
		fl.IntVar(&f.minGroup, "min-subscribers", clv.DefaultMinGroup, "smallest retention group fitted on its own (smaller groups use the pooled fit)")
	}
	if kinds&withMargin != 0 {
		fl.IntVar(&f.marginWindow, "margin-window", clv.DefaultMarginWindow, "periods of transactions averaged for each subscriber's margin per period")
	}
	fl.BoolVar(&f.allowFutureAsOf, "allow-future-as-of", false, "accept an --as-of more than one period after the latest date in the inputs (unobserved time then counts as survival)")
}

// baseOptions turns the time and base flags into the analysis-layer options.
func (a *app) baseOptions(tf *timeFlags, bf *baseFlags) (clv.Options, error) {
	o := clv.DefaultOptions()
	o.Note = func(s string) { a.notef("%s", s) }
	o.FitTimeout, o.Context = a.fitTimeout, a.ctx
	var err error
	if o.AsOf, err = tf.asOfDay(); err != nil {
		return o, err
	}
	if tf.period != "" {
		if o.Period, err = tf.periodValue(); err != nil {
			return o, err
		}
	}
	tf.resolveDiscount(float64(o.Period.Months()))
	o.Discount = tf.discount
	if err := checkDiscount(o.Discount); err != nil {
		return o, err
	}
	if bf == nil {
		return o, nil
	}
	o.AllowFutureAsOf = bf.allowFutureAsOf
	if o.ObservedFrom, err = clv.ParseObservedFrom(bf.observedFrom); err != nil {
		return o, usageError{err}
	}
	o.RetentionBy = bf.retentionBy
	if bf.minGroup != 0 {
		if bf.minGroup < 1 {
			return o, usagef("--min-subscribers must be 1 or more, got %d", bf.minGroup)
		}
		o.MinGroup = bf.minGroup
	}
	if bf.marginWindow != 0 {
		if bf.marginWindow < 1 {
			return o, usagef("--margin-window must be 1 or more, got %d", bf.marginWindow)
		}
		o.MarginWindow = bf.marginWindow
	}
	return o, nil
}

// newBase builds the analysis layer over loaded data; layer option errors
// are usage errors.
func (a *app) newBase(l *loaded, o clv.Options) (*clv.Base, error) {
	if o.MemoryLimit == 0 {
		limit, err := a.memoryLimit()
		if err != nil {
			return nil, err
		}
		o.MemoryLimit = limit
	}
	b, err := clv.New(clv.Data{Tx: l.tx, Subs: l.subs, SubOf: l.subOf, Summary: l.summary}, o)
	if err != nil {
		return nil, layerError(err)
	}
	return b, nil
}

// layerError marks the analysis layer's option errors as usage errors (exit 2).
func layerError(err error) error {
	if errors.Is(err, clv.ErrBadOption) || errors.Is(err, clv.ErrFutureAsOf) {
		return usageError{err}
	}
	return err
}
