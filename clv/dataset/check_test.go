package dataset

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// checkData builds a small base whose doubtful rows are counted by hand in
// the comments (the reference numbers of TestCheck).
func checkData() (*Transactions, *Subscribers) {
	d := func(y, m, day int) Day { return Civil(y, m, day) }
	t := &Transactions{IDs: []string{"A", "B", "X", "N\x00UL"}}
	add := func(c int32, day Day) {
		t.Customer = append(t.Customer, c)
		t.Day = append(t.Day, day)
		t.Amount = append(t.Amount, 1)
	}
	// 300 ordinary rows in 2024 spread over A, B, X.
	for i := range 300 {
		add(int32(i%3), d(2024, 1+i%12, 1+i%28))
	}
	add(0, d(2023, 12, 20))  // A before its activation (2024-01-01)
	add(1, d(2025, 1, 15))   // B after its churn (2024-12-31)
	add(1, d(2025, 1, 16))   // B after its churn
	add(2, d(1, 1, 1))       // X: 0001-01-01, far from the 2024 bulk
	add(3, d(2024, 6, 1))    // N\x00UL: a NUL in the id
	add(0, d(2024+20, 1, 1)) // A in 2044: far, and not after churn (A is active)
	s := &Subscribers{
		ID:         []string{"A", "B", "C"},
		Activation: []Day{d(2024, 1, 1), d(2024, 1, 1), d(2024, 3, 1)},
		Churn:      []Day{NoDay, d(2024, 12, 31), NoDay},
	}
	return t, s
}

func TestCheck(t *testing.T) {
	tx, subs := checkData()
	subOf, err := Join(tx, subs)
	if err != nil {
		t.Fatal(err)
	}
	s := Check(tx, subs, subOf, CheckOptions{})
	// Counted by hand from checkData: customers with rows A, B, X, N\x00UL;
	// subscribers A, B, C; A and B match; C has no rows; X and N\x00UL have
	// no subscriber row.
	if s.Customers != 4 || s.Subscribers != 3 || s.Matched != 2 || s.SubscribersOnly != 1 || s.CustomersOnly != 2 {
		t.Errorf("overlap %+v", s)
	}
	if s.BeforeActivation != 1 || s.AfterChurn != 2 || s.FarDates != 2 || s.ControlIDs != 1 {
		t.Errorf("before %d, after %d, far %d, control %d; want 1, 2, 2, 1", s.BeforeActivation, s.AfterChurn, s.FarDates, s.ControlIDs)
	}
	if !slices.Equal(s.ExampleSubscribersOnly, []string{"C"}) || !slices.Equal(s.ExampleCustomersOnly, []string{"X", "N\x00UL"}) {
		t.Errorf("examples %q %q", s.ExampleSubscribersOnly, s.ExampleCustomersOnly)
	}
	if s.Err() != nil {
		t.Errorf("partial overlap is not an error: %v", s.Err())
	}
	var kinds []string
	for _, f := range s.Findings() {
		kinds = append(kinds, f.Kind)
	}
	want := []string{"subscribers_without_transactions", "customers_without_subscriber", "before_activation", "after_churn", "far_dates", "control_characters"}
	if !slices.Equal(kinds, want) {
		t.Errorf("findings %v, want %v", kinds, want)
	}
}

func TestCheckNoOverlap(t *testing.T) {
	tx := &Transactions{IDs: []string{"123", "124"}, Customer: []int32{0, 1}, Day: []Day{Civil(2024, 1, 1), Civil(2024, 1, 2)}, Amount: []float64{1, 1}}
	subs := &Subscribers{ID: []string{"00123", "00124"}, Activation: []Day{Civil(2023, 1, 1), Civil(2023, 1, 1)}, Churn: []Day{NoDay, NoDay}}
	subOf, err := Join(tx, subs)
	if err != nil {
		t.Fatal(err)
	}
	s := Check(tx, subs, subOf, CheckOptions{})
	err = s.Err()
	if !errors.Is(err, ErrNoOverlap) || !strings.Contains(err.Error(), `"00123"`) || !strings.Contains(err.Error(), `"123"`) {
		t.Fatalf("got %v", err)
	}
	for _, f := range s.Findings() {
		if strings.Contains(f.Kind, "without") {
			t.Errorf("no overlap also reported as a warning: %v", f)
		}
	}
}

// TestCheckClean: the same kind of data without anything doubtful gives no
// findings (the far-date fences do not flag a long but even history).
func TestCheckClean(t *testing.T) {
	tx := &Transactions{IDs: []string{"A", "B"}}
	for i := range 1000 {
		tx.Customer = append(tx.Customer, int32(i%2))
		tx.Day = append(tx.Day, Civil(2015, 1, 1)+Day(i*3)) // 2015 to 2023, evenly
		tx.Amount = append(tx.Amount, 1)
	}
	subs := &Subscribers{ID: []string{"A", "B"}, Activation: []Day{Civil(2014, 1, 1), Civil(2015, 1, 1)}, Churn: []Day{NoDay, NoDay}}
	subOf, err := Join(tx, subs)
	if err != nil {
		t.Fatal(err)
	}
	s := Check(tx, subs, subOf, CheckOptions{})
	if f := s.Findings(); len(f) != 0 || s.Err() != nil {
		t.Errorf("findings %v, err %v", f, s.Err())
	}
	// Transactions alone: nothing about overlap.
	if f := Check(tx, nil, nil, CheckOptions{}).Findings(); len(f) != 0 {
		t.Errorf("transactions alone: %v", f)
	}
}

// TestTenureUnit: a summary built in each unit is recognised from
// tenure_days / T (Summarize is the independent source of T).
func TestTenureUnit(t *testing.T) {
	tx := &Transactions{IDs: []string{"A", "B", "C"}, Customer: []int32{0, 1, 2, 0}, Amount: []float64{1, 1, 1, 1},
		Day: []Day{Civil(2024, 1, 1), Civil(2024, 2, 1), Civil(2024, 3, 1), Civil(2024, 5, 1)}}
	for _, u := range []Unit{UnitDay, UnitWeek, UnitMonth} {
		s, err := Summarize(tx, SummaryOptions{AsOf: Civil(2024, 6, 30), Unit: u})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := s.TenureUnit()
		if !ok || got != u {
			t.Errorf("unit %v: got %v, %v", u, got, ok)
		}
	}
	s := &Summary{T: []float64{10, 20}}
	if _, ok := s.TenureUnit(); ok {
		t.Error("no tenure column: a unit was inferred")
	}
	s.Tenure = []int32{45, 50} // 4.5 and 2.5 days per unit: no unit
	if _, ok := s.TenureUnit(); ok {
		t.Error("inconsistent ratios: a unit was inferred")
	}
}

// BenchmarkCheck measures Check on bases of several sizes (one subscriber
// per customer, 12 rows each, dates over two years).
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		customers := n / 12
		tx := &Transactions{IDs: make([]string, customers)}
		subs := &Subscribers{ID: make([]string, customers), Activation: make([]Day, customers), Churn: make([]Day, customers)}
		for c := range customers {
			tx.IDs[c] = "S" + strconv.Itoa(c)
			subs.ID[c] = tx.IDs[c]
			subs.Activation[c] = Civil(2023, 1, 1) + Day(c%365)
			subs.Churn[c] = NoDay
		}
		for i := range n {
			tx.Customer = append(tx.Customer, int32(i%customers))
			tx.Day = append(tx.Day, Civil(2023, 1, 1)+Day(i%730))
			tx.Amount = append(tx.Amount, 1)
		}
		subOf, err := Join(tx, subs)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				Check(tx, subs, subOf, CheckOptions{})
			}
		})
	}
}
