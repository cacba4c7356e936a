package clv

import (
	"fmt"
	"math"
	"slices"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
)

// Holdout compares a repeat-purchase model's predictions for the period
// after the as-of day with what the customers then did.
type Holdout struct {
	// End is the last holdout day; Length the holdout length in the unit.
	End    dataset.Day
	Length float64
	// Actual and Predicted are per modelled customer (RepeatInput order):
	// purchase days after the as-of day (opportunities with a purchase for
	// bgbb), and the model's conditional expectation of them.
	Actual, Predicted []float64
	// Bins compare them by calibration frequency (censored at the last bin).
	Bins                        []btyd.FrequencyBin
	ActualTotal, PredictedTotal float64
	MAE, RMSE                   float64
	Tracking                    Tracking
}

// Tracking is the cumulative repeat purchases of the modelled customers per
// unit period from the first purchase of the cohort: actual and expected.
type Tracking struct {
	Period           []float64
	PeriodEnd        []dataset.Day
	Actual, Expected []float64
	// CalibrationEnd is the as-of day in periods from the origin.
	CalibrationEnd float64
}

// Holdout evaluates counter m, fitted on in (as made by RepeatInput), on
// the transactions after the as-of day up to end. censor is the highest
// calibration frequency with a bin of its own.
func (b *Base) Holdout(in *RepeatInput, m btyd.Counter, end dataset.Day, censor int) (*Holdout, error) {
	if end <= in.AsOf {
		return nil, fmt.Errorf("%w: holdout end %s is not after the as-of day %s", ErrBadOption, end, in.AsOf)
	}
	if in.Summary.Index == nil {
		return nil, fmt.Errorf("%w: a holdout needs transactions, not a summary", ErrBadOption)
	}
	u := in.Unit.Days()
	days := b.customerDays(in, end)
	n := len(in.Rows)
	h := &Holdout{End: end, Length: float64(end-in.AsOf) / u, Actual: make([]float64, n), Predicted: make([]float64, n)}
	for j := range n {
		first := in.Summary.First[in.Rows[j]]
		var t float64
		if in.Model == "bgbb" {
			// Opportunities T+1 .. the last complete one by the holdout end.
			last := math.Floor(float64(end-first+1)/u) - 1
			t = math.Max(last-in.T[j], 0)
			seen := map[float64]bool{}
			for _, d := range days[j] {
				k := math.Floor(float64(d-first) / u)
				if k > in.T[j] && k <= last && !seen[k] {
					seen[k] = true
					h.Actual[j]++
				}
			}
		} else {
			t = h.Length
			for _, d := range days[j] {
				if d > in.AsOf {
					h.Actual[j]++
				}
			}
		}
		v, err := m.ConditionalExpected(t, in.X[j], in.Tx[j], in.T[j])
		if err != nil {
			return nil, fmt.Errorf("%w: %v", btyd.ErrNotConverged, err)
		}
		h.Predicted[j] = v
		h.ActualTotal += h.Actual[j]
		h.PredictedTotal += v
	}
	h.Bins = btyd.CompareByFrequency(in.X, h.Actual, h.Predicted, censor)
	h.MAE, h.RMSE = btyd.Errors(h.Actual, h.Predicted)
	tr, err := tracking(m, in, days, end)
	if err != nil {
		return nil, err
	}
	h.Tracking = *tr
	return h, nil
}

// customerDays returns, per modelled customer, the distinct purchase days up
// to end (inclusive), sorted; the first purchase day included.
func (b *Base) customerDays(in *RepeatInput, end dataset.Day) [][]dataset.Day {
	n := len(in.Rows)
	rowOf := make(map[int32]int32, n)
	for j, i := range in.Rows {
		rowOf[in.Summary.Index[i]] = int32(j)
	}
	tx := b.Tx
	row := make([]int32, tx.Len())
	count := make([]int32, n+1)
	for r, c := range tx.Customer {
		row[r] = -1
		if tx.Day[r] > end {
			continue
		}
		if j, ok := rowOf[c]; ok {
			row[r] = j
			count[j+1]++
		}
	}
	for j := 1; j <= n; j++ {
		count[j] += count[j-1]
	}
	all := make([]dataset.Day, count[n])
	pos := slices.Clone(count[:n])
	for r, j := range row {
		if j >= 0 {
			all[pos[j]] = tx.Day[r]
			pos[j]++
		}
	}
	out := make([][]dataset.Day, n)
	for j := range n {
		d := all[count[j]:count[j+1]]
		slices.Sort(d)
		out[j] = slices.Compact(d)
	}
	return out
}

// tracking compares actual and expected cumulative repeat transactions of the
// modelled customers per unit period, from the first purchase of the cohort.
func tracking(m btyd.Counter, in *RepeatInput, days [][]dataset.Day, end dataset.Day) (*Tracking, error) {
	u := in.Unit.Days()
	origin := in.Summary.First[in.Rows[0]]
	for _, i := range in.Rows {
		origin = min(origin, in.Summary.First[i])
	}
	K := int(math.Ceil(float64(end-origin+1) / u))
	actualInc := make([]float64, K)
	births := make([]float64, len(in.Rows))
	for j, i := range in.Rows {
		first := in.Summary.First[i]
		births[j] = float64(first-origin) / u
		for _, d := range days[j] {
			if d == first {
				continue
			}
			k := int(float64(d-origin) / u)
			if k < K {
				actualInc[k]++
			}
		}
	}
	td := &Tracking{CalibrationEnd: float64(in.AsOf-origin+1) / u}
	sum := 0.0
	for k := range K {
		p := float64(k + 1)
		td.Period = append(td.Period, p)
		sum += actualInc[k]
		td.Actual = append(td.Actual, sum)
		td.PeriodEnd = append(td.PeriodEnd, min(origin+dataset.Day(math.Ceil(p*u))-1, end))
	}
	exp, err := btyd.CumulativeExpected(m, births, td.Period)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", btyd.ErrNotConverged, err)
	}
	td.Expected = exp
	return td, nil
}
