package dataset

import (
	"math"
	"slices"
)

// DayCounts is a histogram of transaction days: Day ascending, Rows[i] the
// rows dated Day[i] and First[i] the index (in input order) of the first of
// them. It is what Check needs of the dates, kept in memory proportional
// to the distinct days, so a streaming read can check a file it never
// holds.
type DayCounts struct {
	Day   []Day
	Rows  []int64
	First []int64
}

// dayWindow is the widest span of days a DayCounter keeps in an array
// (about 180 years); days outside it go to a map.
const dayWindow = 1 << 16

// DayCounter builds a DayCounts one row at a time: an array over a window
// of days around the first one seen, and a map for far-off days.
type DayCounter struct {
	base  Day
	rows  []int64
	first []int64
	far   map[Day][2]int64 // rows, first
}

// Add counts a row of day d at input index row. Rows must be added in
// increasing row order for First to be the first row.
func (c *DayCounter) Add(d Day, row int64) {
	if c.rows == nil {
		c.base = d - 256
		c.rows = make([]int64, 1024)
		c.first = make([]int64, 1024)
	}
	i := int64(d) - int64(c.base)
	if i < 0 || i >= int64(len(c.rows)) {
		if !c.widen(d) {
			if c.far == nil {
				c.far = map[Day][2]int64{}
			}
			v, ok := c.far[d]
			if !ok {
				v[1] = row
			}
			v[0]++
			c.far[d] = v
			return
		}
		i = int64(d) - int64(c.base)
	}
	if c.rows[i] == 0 {
		c.first[i] = row
	}
	c.rows[i]++
}

// widen grows the window to hold d, unless the window would exceed dayWindow.
func (c *DayCounter) widen(d Day) bool {
	lo, hi := int64(c.base), int64(c.base)+int64(len(c.rows))
	nlo, nhi := min(lo, int64(d)), max(hi, int64(d)+1)
	if nhi-nlo > dayWindow {
		return false
	}
	// Double the span (within the limit) so repeated widening stays cheap.
	grow := min(max(nhi-nlo, 2*(hi-lo)), dayWindow) - (nhi - nlo)
	if int64(d) < lo {
		nlo -= grow
	} else {
		nhi += grow
	}
	rows := make([]int64, nhi-nlo)
	first := make([]int64, nhi-nlo)
	copy(rows[lo-nlo:], c.rows)
	copy(first[lo-nlo:], c.first)
	c.base, c.rows, c.first = Day(nlo), rows, first
	return true
}

// Counts returns the histogram.
func (c *DayCounter) Counts() DayCounts {
	var h DayCounts
	for i, n := range c.rows {
		if n > 0 {
			h.Day = append(h.Day, c.base+Day(i))
			h.Rows = append(h.Rows, n)
			h.First = append(h.First, c.first[i])
		}
	}
	for d, v := range c.far {
		h.Day = append(h.Day, d)
		h.Rows = append(h.Rows, v[0])
		h.First = append(h.First, v[1])
	}
	if len(c.far) > 0 {
		h.sort()
	}
	return h
}

func (h *DayCounts) sort() {
	idx := make([]int, len(h.Day))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(h.Day[a]) - int(h.Day[b]) })
	d, r, f := make([]Day, len(idx)), make([]int64, len(idx)), make([]int64, len(idx))
	for k, i := range idx {
		d[k], r[k], f[k] = h.Day[i], h.Rows[i], h.First[i]
	}
	h.Day, h.Rows, h.First = d, r, f
}

// CountDays counts the days of a column (NoDay entries are skipped).
func CountDays(days []Day) DayCounts {
	var c DayCounter
	for i, d := range days {
		if d != NoDay {
			c.Add(d, int64(i))
		}
	}
	return c.Counts()
}

// MergeDayCounts adds histograms of disjoint row sets of one input (rows
// numbered alike), such as the per-partition histograms of a parallel read.
func MergeDayCounts(hs ...DayCounts) DayCounts {
	var c DayCounts
	at := map[Day]int{}
	for _, h := range hs {
		for i, d := range h.Day {
			k, ok := at[d]
			if !ok {
				at[d] = len(c.Day)
				c.Day = append(c.Day, d)
				c.Rows = append(c.Rows, h.Rows[i])
				c.First = append(c.First, h.First[i])
				continue
			}
			c.Rows[k] += h.Rows[i]
			c.First[k] = min(c.First[k], h.First[i])
		}
	}
	c.sort()
	return c
}

// total returns the number of rows counted.
func (h DayCounts) total() int64 {
	var n int64
	for _, r := range h.Rows {
		n += r
	}
	return n
}

// bulk returns the 1st and 99th percentiles (nearest rank: the ceil(q·n)-th
// smallest row) of the counted days; NoDay, NoDay when none.
func (h DayCounts) bulk() (q01, q99 Day) {
	n := h.total()
	if n == 0 {
		return NoDay, NoDay
	}
	at := func(q float64) Day {
		rank := max(1, int64(math.Ceil(q*float64(n))))
		var seen int64
		for i, r := range h.Rows {
			seen += r
			if seen >= rank {
				return h.Day[i]
			}
		}
		return h.Day[len(h.Day)-1]
	}
	return at(0.01), at(0.99)
}

// farDates counts the rows outside the fences of the bulk (see Check) and
// returns up to ex far days in order of first appearance.
func (h DayCounts) farDates(ex int) (bulk [2]Day, far int64, examples []Day) {
	q01, q99 := h.bulk()
	if q01 == NoDay {
		return [2]Day{NoDay, NoDay}, 0, nil
	}
	w := max(q99-q01, 365)
	lo, hi := q01-2*w, q99+2*w
	var idx []int
	for i, d := range h.Day {
		if d < lo || d > hi {
			far += h.Rows[i]
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case h.First[a] < h.First[b]:
			return -1
		case h.First[a] > h.First[b]:
			return 1
		}
		return 0
	})
	for _, i := range idx[:min(len(idx), ex)] {
		examples = append(examples, h.Day[i])
	}
	return [2]Day{q01, q99}, far, examples
}
