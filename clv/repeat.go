package clv

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
)

// Summary returns the per-customer summary at the as-of day with model time
// in unit (subscribers without transactions included when there is a
// subscriber export). A summary given in Data.Summary is returned as it is,
// labelled with unit.
func (b *Base) Summary(unit dataset.Unit) (*dataset.Summary, error) {
	if s, ok := b.summaries[unit]; ok {
		return s, nil
	}
	if b.Data.Summary != nil {
		s := b.Data.Summary
		s.Unit = unit
		if s.AsOf == dataset.NoDay {
			s.AsOf = b.asOf
		}
		if s.Excluded > 0 && len(b.summaries) == 0 {
			b.notef("left out %d transaction rows after the as-of date %s", s.Excluded, s.AsOf)
		}
		b.summaries[unit] = s
		return s, nil
	}
	s, err := dataset.Summarize(b.Tx, dataset.SummaryOptions{AsOf: b.asOf, Unit: unit, Subscribers: b.Subs, SubOf: b.SubOf})
	if err != nil {
		return nil, err
	}
	if s.Excluded > 0 && len(b.summaries) == 0 {
		b.notef("left out %d transaction rows after the as-of date %s", s.Excluded, s.AsOf)
	}
	b.summaries[unit] = s
	return s, nil
}

// RepeatInput is the data of a repeat-purchase model: the customers with a
// first purchase in the window (the models start at the first purchase).
type RepeatInput struct {
	Model   string
	Summary *dataset.Summary
	// Rows are the summary rows modelled.
	Rows []int32
	// X, Tx, T are in Unit (opportunities for bgbb); M is the mean repeat spend.
	X, Tx, T, M []float64
	Unit        dataset.Unit
	AsOf        dataset.Day
	// Skipped counts summary rows without a purchase in the window.
	Skipped int
}

// IDs returns the customer ids of the modelled rows.
func (in *RepeatInput) IDs() []string {
	ids := make([]string, len(in.Rows))
	for j, i := range in.Rows {
		ids[j] = in.Summary.IDs[i]
	}
	return ids
}

// RepeatDays returns x as repeat purchase days (for bgbb, X counts opportunities).
func (in *RepeatInput) RepeatDays() []float64 {
	x := make([]float64, len(in.Rows))
	for j, i := range in.Rows {
		x[j] = float64(in.Summary.X[i])
	}
	return x
}

type repeatKey struct {
	model     string
	unit      dataset.Unit
	penalizer float64
}

type repeatEntry struct {
	in     *RepeatInput
	inErr  error
	fit    *btyd.Result
	fitErr error
	fitted bool
}

func (b *Base) repeatEntry(model string, unit dataset.Unit, penalizer float64) *repeatEntry {
	k := repeatKey{model, unit, penalizer}
	e, ok := b.repeat[k]
	if !ok {
		e = &repeatEntry{}
		e.in, e.inErr = b.buildRepeatInput(model, unit)
		b.repeat[k] = e
	}
	return e
}

// RepeatInput returns the model data of model (bgnbd, pnbd, mbgnbd, bgbb or
// gg) in unit.
func (b *Base) RepeatInput(model string, unit dataset.Unit) (*RepeatInput, error) {
	e := b.repeatEntry(model, unit, 0)
	return e.in, e.inErr
}

// Repeat fits model in unit on RepeatInput, once per run. A zero
// opt.Timeout or nil opt.Context takes the base's FitTimeout and Context.
func (b *Base) Repeat(model string, unit dataset.Unit, opt btyd.Options) (*btyd.Result, error) {
	if opt.Timeout == 0 {
		opt.Timeout = b.opt.FitTimeout
	}
	if opt.Context == nil {
		opt.Context = b.opt.Context
	}
	e := b.repeatEntry(model, unit, opt.Penalizer)
	if e.inErr != nil {
		return nil, e.inErr
	}
	if !e.fitted {
		e.fit, e.fitErr = fitRepeat(e.in, opt)
		e.fitted = true
	}
	return e.fit, e.fitErr
}

func fitRepeat(in *RepeatInput, opt btyd.Options) (*btyd.Result, error) {
	switch in.Model {
	case "bgnbd":
		return btyd.FitBGNBD(in.X, in.Tx, in.T, nil, opt)
	case "pnbd":
		return btyd.FitParetoNBD(in.X, in.Tx, in.T, nil, opt)
	case "mbgnbd":
		return btyd.FitMBGNBD(in.X, in.Tx, in.T, nil, opt)
	case "bgbb":
		return btyd.FitBGBB(in.X, in.Tx, in.T, nil, opt)
	case "gg":
		return btyd.FitGammaGamma(in.X, in.M, nil, opt)
	}
	return nil, fmt.Errorf("%w: unknown model %q", ErrBadOption, in.Model)
}

func (b *Base) buildRepeatInput(model string, unit dataset.Unit) (*RepeatInput, error) {
	if btyd.ParamNames(model) == nil {
		return nil, fmt.Errorf("%w: unknown model %q", ErrBadOption, model)
	}
	sum, err := b.Summary(unit)
	if err != nil {
		return nil, err
	}
	in := &RepeatInput{Model: model, Summary: sum, Unit: unit, AsOf: sum.AsOf}
	for i := 0; i < sum.Len(); i++ {
		if (sum.First != nil && sum.First[i] == dataset.NoDay) || (sum.Transactions != nil && sum.Transactions[i] == 0) {
			in.Skipped++
			continue
		}
		in.Rows = append(in.Rows, int32(i))
	}
	if len(in.Rows) == 0 {
		return nil, fmt.Errorf("%w: no customer has a purchase in the window", dataset.ErrEmpty)
	}
	if in.Skipped > 0 {
		b.notef("%s: left out %d customers without a purchase in the window (the models start at the first purchase)", model, in.Skipped)
	}
	n := len(in.Rows)
	in.X, in.Tx, in.T, in.M = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for j, i := range in.Rows {
		in.X[j], in.Tx[j], in.T[j] = float64(sum.X[i]), sum.Tx[i], sum.T[i]
		if sum.Monetary != nil {
			in.M[j] = sum.Monetary[i]
		}
	}
	if model == "bgbb" {
		if err := b.discretize(in); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// discretize turns the data into BG/BB opportunities: one per whole unit
// period after the period of the first purchase.
func (b *Base) discretize(in *RepeatInput) error {
	if b.Tx.Len() == 0 || in.Summary.Index == nil {
		for j := range in.X {
			if in.Tx[j] != math.Floor(in.Tx[j]) || in.T[j] != math.Floor(in.T[j]) || in.X[j] > in.Tx[j] {
				return fmt.Errorf("%w: bgbb needs whole opportunities: the summary has t_x = %v, T = %v for customer %s; give transactions instead",
					ErrBadOption, in.Tx[j], in.T[j], in.Summary.IDs[in.Rows[j]])
			}
		}
		return nil
	}
	u := in.Unit.Days()
	rowOf := make(map[int32]int, len(in.Rows))
	first := make([]dataset.Day, len(in.Rows))
	for j, i := range in.Rows {
		rowOf[in.Summary.Index[i]] = j
		first[j] = in.Summary.First[i]
		n := math.Floor(float64(in.AsOf-first[j]+1)/u) - 1
		in.T[j] = math.Max(n, 0)
		in.X[j], in.Tx[j] = 0, 0
	}
	seen := make(map[[2]int64]bool)
	for r, c := range b.Tx.Customer {
		d := b.Tx.Day[r]
		if d > in.AsOf {
			continue
		}
		j, ok := rowOf[c]
		if !ok {
			continue
		}
		k := math.Floor(float64(d-first[j]) / u)
		if k < 1 || k > in.T[j] {
			continue
		}
		key := [2]int64{int64(j), int64(k)}
		if seen[key] {
			continue
		}
		seen[key] = true
		in.X[j]++
		in.Tx[j] = math.Max(in.Tx[j], k)
	}
	return nil
}
