package btyd

import (
	"encoding/csv"
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"
)

// cdnowSummary is the CDNOW sample (testdata/cdnow_sample.csv: 2,357 customers,
// 6,919 purchases) summarised with the BTYD convention used by Fader, Hardie &
// Lee (2005): weekly units, 39-week calibration period ending 1997-09-30,
// purchases on the same day merged, x = repeat purchase days in calibration,
// t_x and T measured in weeks from the first purchase. xStar counts repeat
// purchase days in the 39-week holdout (1997-10-01 .. 1998-06-30); m is the
// mean spend of the calibration repeat purchase days (0 when x = 0).
type cdnowSummary struct {
	x, tx, T, m, xStar []float64
	first              []time.Time
	// repeatWeek[k] counts repeat purchase days (calibration and holdout) in
	// week k+1 after 1997-01-01, for the tracking plot (78 weeks).
	repeatWeek []float64
}

var (
	cdnowOnce sync.Once
	cdnowData *cdnowSummary
	cdnowErr  error
)

func loadCDNOW(tb testing.TB) *cdnowSummary {
	tb.Helper()
	cdnowOnce.Do(func() { cdnowData, cdnowErr = readCDNOW("testdata/cdnow_sample.csv") })
	if cdnowErr != nil {
		tb.Fatal(cdnowErr)
	}
	return cdnowData
}

func readCDNOW(name string) (*cdnowSummary, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	type day struct {
		d   time.Time
		amt float64
	}
	byCust := map[string]map[time.Time]float64{}
	var ids []string
	for _, r := range recs[1:] {
		d, err := time.Parse("2006-01-02", r[2])
		if err != nil {
			return nil, err
		}
		amt, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			return nil, err
		}
		if byCust[r[1]] == nil {
			byCust[r[1]] = map[time.Time]float64{}
			ids = append(ids, r[1])
		}
		byCust[r[1]][d] += amt
	}
	sort.Strings(ids)
	calEnd := time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	origin := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	s := &cdnowSummary{repeatWeek: make([]float64, 78)}
	for _, id := range ids {
		var days []day
		for d, a := range byCust[id] {
			days = append(days, day{d, a})
		}
		sort.Slice(days, func(i, j int) bool { return days[i].d.Before(days[j].d) })
		first := days[0].d
		x, xs, sum := 0.0, 0.0, 0.0
		last := first
		for _, dd := range days[1:] {
			k := int(dd.d.Sub(origin) / week)
			if k < 78 {
				s.repeatWeek[k]++
			}
			if dd.d.After(calEnd) {
				xs++
				continue
			}
			x++
			sum += dd.amt
			last = dd.d
		}
		m := 0.0
		if x > 0 {
			m = sum / x
		}
		s.x = append(s.x, x)
		s.tx = append(s.tx, float64(last.Sub(first))/float64(week))
		s.T = append(s.T, float64(calEnd.Sub(first))/float64(week))
		s.m = append(s.m, m)
		s.xStar = append(s.xStar, xs)
		s.first = append(s.first, first)
	}
	return s, nil
}

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Abs(want)
}
