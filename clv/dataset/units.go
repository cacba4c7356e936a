package dataset

import "fmt"

// Unit is the time unit of model time (t_x, T, horizons, discount rates).
type Unit int

// Model time units.
const (
	UnitDay   Unit = iota // 1 day
	UnitWeek              // 7 days
	UnitMonth             // 365.25/12 = 30.4375 days (a mean Gregorian month; not 30 days)
)

// Days returns the length of the unit in days.
func (u Unit) Days() float64 {
	switch u {
	case UnitWeek:
		return 7
	case UnitMonth:
		return 365.25 / 12
	}
	return 1
}

// String returns "day", "week" or "month".
func (u Unit) String() string {
	switch u {
	case UnitWeek:
		return "week"
	case UnitMonth:
		return "month"
	}
	return "day"
}

// ParseUnit parses "day", "week" or "month".
func ParseUnit(s string) (Unit, error) {
	switch s {
	case "day", "days", "d":
		return UnitDay, nil
	case "week", "weeks", "w":
		return UnitWeek, nil
	case "month", "months", "m":
		return UnitMonth, nil
	}
	return 0, fmt.Errorf("unknown time unit %q (want day, week or month)", s)
}

// Period is a calendar period for panels and life tables.
type Period int

// Calendar periods.
const (
	PeriodMonth Period = iota
	PeriodQuarter
	PeriodYear
)

// String returns "month", "quarter" or "year".
func (p Period) String() string {
	switch p {
	case PeriodQuarter:
		return "quarter"
	case PeriodYear:
		return "year"
	}
	return "month"
}

// ParsePeriod parses "month", "quarter" or "year".
func ParsePeriod(s string) (Period, error) {
	switch s {
	case "month", "months", "m":
		return PeriodMonth, nil
	case "quarter", "quarters", "q":
		return PeriodQuarter, nil
	case "year", "years", "y":
		return PeriodYear, nil
	}
	return 0, fmt.Errorf("unknown period %q (want month, quarter or year)", s)
}

// Months returns the length of the period in months (1, 3 or 12).
func (p Period) Months() int {
	switch p {
	case PeriodQuarter:
		return 3
	case PeriodYear:
		return 12
	}
	return 1
}

// Days returns the mean length of the period in days: Months() mean
// Gregorian months of UnitMonth.Days() = 365.25/12 days each.
func (p Period) Days() float64 { return float64(p.Months()) * UnitMonth.Days() }

// Index returns the calendar period that contains d, counted from the period
// containing 1970-01-01 (index 0). Consecutive periods have consecutive indices.
func (p Period) Index(d Day) int {
	y, m, _ := d.Date()
	months := (y-1970)*12 + (m - 1)
	n := p.Months()
	if months < 0 {
		return -((-months + n - 1) / n)
	}
	return months / n
}

// Start returns the first day of period index i.
func (p Period) Start(i int) Day {
	months := i * p.Months()
	y := 1970 + floorDiv(months, 12)
	m := months - floorDiv(months, 12)*12 + 1
	return Civil(y, m, 1)
}

// End returns the last day of period index i.
func (p Period) End(i int) Day { return p.Start(i+1) - 1 }

// Label names period index i: "2024-03" (month), "2024-Q1" (quarter), "2024" (year).
func (p Period) Label(i int) string {
	y, m, _ := p.Start(i).Date()
	switch p {
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1)
	case PeriodYear:
		return fmt.Sprintf("%04d", y)
	}
	return fmt.Sprintf("%04d-%02d", y, m)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
