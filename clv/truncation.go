package clv

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// Truncation is the observation start of the subscriber export.
type Truncation struct {
	// From is the first observed day: subscribers activated before it are in
	// the export only because they survived until it. NoDay = the export is
	// taken as complete.
	From dataset.Day
	// Mode is how From was set.
	Mode ObservedMode
	// Detected is true when auto mode found a truncated export.
	Detected bool
	// ActivatedBefore counts subscribers activated before From;
	// ChurnedBefore those with a churn date before it (left out of retention).
	ActivatedBefore, ChurnedBefore int
	// Evidence says what auto mode looked at ("first transaction 2023-01-01").
	Evidence string
	// Note is the sentence for the user, empty when there is nothing to say.
	Note string
}

// observationStart resolves the observation start of the subscriber export
// (see the package comment for the auto rule).
func observationStart(d Data, asOf dataset.Day, of ObservedFrom) (Truncation, error) {
	t := Truncation{From: dataset.NoDay, Mode: of.Mode}
	s := d.Subs
	if s == nil || s.Len() == 0 {
		return t, nil
	}
	count := func(from dataset.Day) {
		t.ActivatedBefore, t.ChurnedBefore = 0, 0
		for i := range s.Len() {
			if a := s.Activation[i]; a != dataset.NoDay && a < from {
				t.ActivatedBefore++
			}
			if c := s.Churn[i]; c != dataset.NoDay && c < from && c >= s.Activation[i] {
				t.ChurnedBefore++
			}
		}
	}
	switch of.Mode {
	case ObservedNone:
		return t, nil
	case ObservedDay:
		if of.Day > asOf {
			return t, fmt.Errorf("%w: --observed-from %s is after the as-of date %s", ErrBadOption, of.Day, asOf)
		}
		t.From = of.Day
		count(t.From)
		t.Note = fmt.Sprintf("observation start %s (--observed-from): %d subscribers activated before it enter retention at their tenure on that day", t.From, t.ActivatedBefore)
		if t.ChurnedBefore > 0 {
			t.Note += fmt.Sprintf("; %d who churned before it are left out", t.ChurnedBefore)
		}
		return t, nil
	}
	// Auto.
	firstAct, firstChurn := dataset.NoDay, dataset.NoDay
	for i := range s.Len() {
		if a := s.Activation[i]; a != dataset.NoDay && (firstAct == dataset.NoDay || a < firstAct) {
			firstAct = a
		}
		if c := s.Churn[i]; c != dataset.NoDay && (firstChurn == dataset.NoDay || c < firstChurn) {
			firstChurn = c
		}
	}
	if firstAct == dataset.NoDay {
		return t, nil
	}
	var from dataset.Day
	if d.Tx != nil && d.Tx.Len() > 0 {
		firstTx, _ := d.Tx.DayRange()
		from = firstTx
		t.Evidence = fmt.Sprintf("first transaction %s", firstTx)
		if firstAct >= from || (firstChurn != dataset.NoDay && firstChurn < from) || from > asOf {
			return t, nil
		}
	} else {
		// No transactions: the earliest churn marks the start when a fifth
		// or more of the subscribers were activated over a year before it.
		if firstChurn == dataset.NoDay || firstChurn-firstAct < 366 {
			return t, nil
		}
		p := dataset.PeriodMonth
		from = p.Start(p.Index(firstChurn))
		t.Evidence = fmt.Sprintf("earliest churn %s, earliest activation %s", firstChurn, firstAct)
		count(from)
		if t.ActivatedBefore*5 < s.Len() {
			t.ActivatedBefore = 0
			return t, nil
		}
	}
	t.From, t.Detected = from, true
	count(from)
	t.Note = fmt.Sprintf("observation start %s detected (%s; %d of %d subscribers activated before it, none churned before it): the export looks like it holds only subscribers active on that day, so they enter retention conditionally on surviving until it; --observed-from DATE sets another start, --observed-from none turns this off",
		from, t.Evidence, t.ActivatedBefore, s.Len())
	return t, nil
}
