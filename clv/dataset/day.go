package dataset

import (
	"math"
	"time"
)

// Day is a calendar date counted in days since 1970-01-01 (UTC). Day 0 is
// 1970-01-01; days before it are negative.
type Day int32

// NoDay marks a missing date (for example the churn date of an active subscriber).
const NoDay Day = math.MinInt32

// DayOf returns the Day of the calendar date of t (its year, month and day in t's location).
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Civil(y, int(m), d)
}

// Civil returns the Day of year y, month m (1..12), day d. It does not check
// that the date exists; use ValidCivil for that.
func Civil(y, m, d int) Day {
	// Days from civil (proleptic Gregorian), after H. Hinnant's public-domain algorithm.
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Day(era*146097 + doe - 719468)
}

// ValidCivil reports whether y-m-d is a real calendar date in years 1..9999.
func ValidCivil(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= DaysIn(y, m)
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Date returns the year, month and day of d.
func (d Day) Date() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// Time returns midnight UTC of d.
func (d Day) Time() time.Time {
	y, m, dd := d.Date()
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
}

// String formats d as 2006-01-02, or "" for NoDay.
func (d Day) String() string {
	if d == NoDay {
		return ""
	}
	return string(d.AppendISO(make([]byte, 0, 10)))
}

// AppendISO appends d formatted as 2006-01-02 to b.
func (d Day) AppendISO(b []byte) []byte {
	y, m, dd := d.Date()
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
	return b
}
