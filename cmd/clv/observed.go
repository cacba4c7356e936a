package main

import (
	"strings"

	"github.com/clvkit/clv/clv/dataset"
)

// observedFromHelp is the --observed-from flag text of the commands that
// take DATE, auto or none.
const observedFromHelp = "observation start of a left-truncated export: `DATE`, auto (detect: activations before the first transaction, or the earliest churn, and no churn before it) or none"

// observationStart resolves --observed-from (DATE, auto or none; empty =
// auto) for the loaded base and the as-of date, and says on stderr what it
// decided and why.
func (a *app) observationStart(flag string, l *loaded, asOf dataset.Day) (dataset.Day, error) {
	switch flag {
	case "none":
		return dataset.NoDay, nil
	case "", "auto":
	default:
		from, err := parseFlagDate("--observed-from", flag)
		if err != nil {
			return dataset.NoDay, usagef("--observed-from %q: want a date as 2006-01-02, auto or none", flag)
		}
		if from > asOf {
			return dataset.NoDay, usagef("--observed-from %s is after the as-of date %s", from, asOf)
		}
		return from, nil
	}
	firstTx := dataset.NoDay
	if l.tx != nil && l.tx.Len() > 0 {
		firstTx, _ = l.tx.DayRange()
	}
	from, tr := dataset.ObservationStart(l.subs, firstTx)
	if !tr.Truncated {
		return dataset.NoDay, nil
	}
	ref := "earliest churn date"
	if tr.FromTransactions {
		ref = "first transaction date"
	}
	if from > asOf {
		a.notef("the export looks left-truncated at %s, after the as-of date %s: no observation start used", from, asOf)
		return dataset.NoDay, nil
	}
	a.notef("observation start %s (--observed-from auto): %d subscribers were activated before the %s (from %s) and none churned before it, so the export looks left-truncated; set --observed-from DATE or none to override",
		from, tr.ActivatedBefore, ref, tr.EarliestActivation)
	return from, nil
}

// splitColumns parses a comma-separated list of column names ("plan,region").
func splitColumns(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}
