package dataset

// Transactions is a columnar transaction table. Row i is customer Customer[i]
// (an index into IDs) on day Day[i] spending Amount[i]. IDs are unique; ids are
// dense: every index 0..len(IDs)-1 is used by at least one row unless the table
// was seeded with subscriber ids that never transacted.
type Transactions struct {
	IDs      []string
	Customer []int32
	Day      []Day
	Amount   []float64
}

// Len returns the number of rows.
func (t *Transactions) Len() int { return len(t.Customer) }

// Customers returns the number of distinct customers.
func (t *Transactions) Customers() int { return len(t.IDs) }

// DayRange returns the first and last transaction day, or NoDay, NoDay when empty.
func (t *Transactions) DayRange() (first, last Day) {
	if len(t.Day) == 0 {
		return NoDay, NoDay
	}
	first, last = t.Day[0], t.Day[0]
	for _, d := range t.Day {
		if d < first {
			first = d
		}
		if d > last {
			last = d
		}
	}
	return first, last
}

// Subscribers is a columnar subscriber (contract) table, one row per subscriber.
// Churn[i] is NoDay for a subscriber who is still active. Every other column of
// the export is kept as a string attribute: Attrs[k][i] is attribute AttrNames[k]
// of subscriber i.
type Subscribers struct {
	ID         []string
	Activation []Day
	Churn      []Day
	AttrNames  []string
	Attrs      [][]string
}

// Len returns the number of subscribers.
func (s *Subscribers) Len() int { return len(s.ID) }

// Attr returns the values of the attribute named name, or nil when there is none.
func (s *Subscribers) Attr(name string) []string {
	for k, n := range s.AttrNames {
		if n == name {
			return s.Attrs[k]
		}
	}
	return nil
}
