package dataset

// Truncation describes what ObservationStart found in a subscriber export.
type Truncation struct {
	// Truncated reports that the export looks left-truncated: subscribers
	// were activated before Reference and none churned before it.
	Truncated bool
	// Reference is the day the export was tested against: the first
	// transaction day, or the earliest churn date when there are no
	// transactions (NoDay when neither exists).
	Reference Day
	// FromTransactions says Reference is the first transaction day (false:
	// the earliest churn date).
	FromTransactions bool
	// ActivatedBefore counts subscribers activated before Reference;
	// ChurnedBefore those with a (valid) churn date before it.
	ActivatedBefore, ChurnedBefore int
	// EarliestActivation is the earliest activation date in the export.
	EarliestActivation Day
}

// ObservationStart decides whether a subscriber export is left-truncated: an
// export that holds only the subscribers still in service on some day W (the
// ones who churned earlier were purged), so that everything before W is seen
// only through its survivors.
//
// The test: take the reference day R = firstTx, the first transaction day, or,
// when firstTx is NoDay (no transactions), the earliest churn date of subs.
// The export is truncated when at least one subscriber was activated before R
// and no subscriber churned before R; the observation start is then R.
// Otherwise it returns NoDay (observed from each subscriber's activation).
// Rows whose churn date precedes their activation date are ignored, as are
// missing dates. The Truncation value carries the counts a caller reports.
//
// Without transactions the test is weaker: the earliest churn date of a
// complete base is also preceded by activations and by no churn, so a
// complete base is then treated as observed from its first churn, which
// loses the periods before it (a conservative choice, never a biased one).
func ObservationStart(subs *Subscribers, firstTx Day) (Day, Truncation) {
	tr := Truncation{Reference: firstTx, FromTransactions: firstTx != NoDay, EarliestActivation: NoDay}
	valid := func(i int) bool {
		a, c := subs.Activation[i], subs.Churn[i]
		return a != NoDay && (c == NoDay || c >= a)
	}
	for i := range subs.Len() {
		if !valid(i) {
			continue
		}
		a, c := subs.Activation[i], subs.Churn[i]
		if tr.EarliestActivation == NoDay || a < tr.EarliestActivation {
			tr.EarliestActivation = a
		}
		if firstTx == NoDay && c != NoDay && (tr.Reference == NoDay || c < tr.Reference) {
			tr.Reference = c
		}
	}
	if tr.Reference == NoDay {
		return NoDay, tr
	}
	for i := range subs.Len() {
		if !valid(i) {
			continue
		}
		if subs.Activation[i] < tr.Reference {
			tr.ActivatedBefore++
		}
		if c := subs.Churn[i]; c != NoDay && c < tr.Reference {
			tr.ChurnedBefore++
		}
	}
	tr.Truncated = tr.ActivatedBefore > 0 && tr.ChurnedBefore == 0
	if !tr.Truncated {
		return NoDay, tr
	}
	return tr.Reference, tr
}
