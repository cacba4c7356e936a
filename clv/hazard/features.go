package hazard

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
)

// Data is the subscriber base the model reads: the transactions, the
// subscriber export and the join between them (dataset.Join: SubOf[c] is the
// subscriber row of customer c, or −1).
type Data struct {
	Tx    *dataset.Transactions
	Subs  *dataset.Subscribers
	SubOf []int32
}

// Tenure band edges in months: band b covers [edge[b−1], edge[b]).
var tenureEdges = []float64{1, 2, 3, 6, 12, 24, 36, 48, 72}

// Continuous behaviour features, in column order after the tenure bands.
const (
	colRecency = iota
	colNoPurchase
	colLevel
	colTrend
	colChange
	colShare
	colSlope
	colDecline   // spend_decline knots follow: one column per declineKnots entry
	numBehaviour = colDecline + 4
)

var behaviourNames = [numBehaviour]string{"recency", "no_purchase", "spend_level", "spend_trend", "spend_change", "active_share", "spend_slope", "spend_decline_5", "spend_decline_10", "spend_decline_20", "spend_decline_50"}

// history is the number of complete periods the spend level and trend look back.
const history = 3

// slopeWindow is the number of recent periods the relative spend slope looks back.
const slopeWindow = 6

// declineKnots are the knots of a piecewise-linear spline in the negative part
// of the relative spend slope: column k is min(c_k, max(0, −slope)), so the
// risk can rise steeply for a small decline and level off for a large one.
var declineKnots = [4]float64{0.05, 0.1, 0.2, 0.5}

// shareWindow is the number of recent periods the active share looks back.
const shareWindow = 12

// attribute is one categorical subscriber attribute used by the model: its
// levels other than the reference (the most common) get one column each.
type attribute struct {
	Name   string
	Levels []string // non-reference levels, in column order
	Ref    string
}

// design describes the columns of the model: intercept, tenure bands 1..,
// behaviour features, attribute levels.
type design struct {
	Period dataset.Period
	Attrs  []attribute
}

func (d *design) tenureCols() int { return len(tenureEdges) } // band 0 is the reference
func (d *design) behaviourStart() int {
	return 1 + d.tenureCols()
}
func (d *design) attrStart() int { return d.behaviourStart() + numBehaviour }

// width is the number of columns, intercept included.
func (d *design) width() int {
	w := d.attrStart()
	for _, a := range d.Attrs {
		w += len(a.Levels)
	}
	return w
}

// names returns the column names.
func (d *design) names() []string {
	out := []string{"intercept"}
	for b, e := range tenureEdges {
		hi := "inf"
		if b+1 < len(tenureEdges) {
			hi = fmt.Sprintf("%g", tenureEdges[b+1])
		}
		out = append(out, fmt.Sprintf("tenure_%g_%s_months", e, hi))
	}
	out = append(out, behaviourNames[:]...)
	for _, a := range d.Attrs {
		for _, l := range a.Levels {
			out = append(out, a.Name+"="+l)
		}
	}
	return out
}

// tenureBand returns the band of a tenure of m months (0 = below the first edge).
func tenureBand(m float64) int {
	b := 0
	for b < len(tenureEdges) && m >= tenureEdges[b] {
		b++
	}
	return b
}

// maxLevels caps the levels of an attribute; rarer levels join the reference.
const maxLevels = 20

// maxDistinct is the number of distinct values above which an attribute is
// taken for an identifier or free text and left out.
const maxDistinct = 200

// chooseAttrs picks the categorical attributes among the subscribers
// activated on or before asOf: names (nil = all) with 2..maxDistinct
// distinct values.
func chooseAttrs(s *dataset.Subscribers, asOf dataset.Day, names []string) ([]attribute, error) {
	var out []attribute
	pick := names
	if pick == nil {
		pick = s.AttrNames
	}
	for _, name := range pick {
		col := s.Attr(name)
		if col == nil {
			return nil, fmt.Errorf("%w: the subscriber export has no attribute %q (have %v)", ErrInvalidInput, name, s.AttrNames)
		}
		count := map[string]int{}
		for i, v := range col {
			if a := s.Activation[i]; a == dataset.NoDay || a > asOf {
				continue
			}
			count[v]++
			if len(count) > maxDistinct {
				break
			}
		}
		if len(count) < 2 || len(count) > maxDistinct {
			continue
		}
		type lv struct {
			v string
			n int
		}
		var lvs []lv
		for v, n := range count {
			lvs = append(lvs, lv{v, n})
		}
		slices.SortFunc(lvs, func(a, b lv) int {
			if c := cmp.Compare(b.n, a.n); c != 0 {
				return c
			}
			return cmp.Compare(a.v, b.v)
		})
		a := attribute{Name: name, Ref: lvs[0].v}
		for _, l := range lvs[1:min(len(lvs), maxLevels)] {
			a.Levels = append(a.Levels, l.v)
		}
		out = append(out, a)
	}
	return out, nil
}

// history of one subscriber, prepared once: per panel column the spend and
// the last purchase day in it.
type base struct {
	d      Data
	period dataset.Period
	asOf   dataset.Day
	panel  *dataset.Panel
	last   []dataset.Day // last[c*Periods+j]: last transaction day of customer c in column j (NoDay: none)
	custOf []int32       // customer index of each subscriber row (−1: none)
	churn  []dataset.Day // churn day of each subscriber as known at asOf (NoDay: active or churned later)
	attrV  [][]int32     // attrV[a][row]: level column offset within attribute a, −1 for the reference
}

// newBase prepares the base as known at asOf: transactions after asOf are
// dropped, churn dates after asOf are unknown.
func newBase(d Data, period dataset.Period, asOf dataset.Day, attrs []attribute) (*base, error) {
	if d.Tx == nil || d.Subs == nil || len(d.SubOf) != len(d.Tx.IDs) {
		return nil, fmt.Errorf("%w: transactions and subscribers must be joined (dataset.Join)", ErrInvalidInput)
	}
	first, _ := d.Tx.DayRange()
	if first == dataset.NoDay || first > asOf {
		return nil, fmt.Errorf("%w: no transaction on or before %s", ErrTooLittleData, asOf)
	}
	p, err := dataset.BuildPanel(d.Tx, dataset.PanelOptions{Period: period, AsOf: asOf, From: first})
	if err != nil {
		return nil, fmt.Errorf("hazard: %w", err)
	}
	b := &base{d: d, period: period, asOf: asOf, panel: p}
	b.last = make([]dataset.Day, p.Stored()) // per stored panel cell
	for i := range b.last {
		b.last[i] = dataset.NoDay
	}
	for i, c := range d.Tx.Customer {
		day := d.Tx.Day[i]
		j := p.Column(day)
		if j < 0 || day > asOf {
			continue
		}
		k := p.Cell(int(c), j)
		if day > b.last[k] {
			b.last[k] = day
		}
	}
	n := d.Subs.Len()
	b.custOf = make([]int32, n)
	for i := range b.custOf {
		b.custOf[i] = -1
	}
	for c, r := range d.SubOf {
		if r >= 0 && int(r) < n {
			b.custOf[r] = int32(c)
		}
	}
	b.churn = make([]dataset.Day, n)
	for i, c := range d.Subs.Churn {
		b.churn[i] = dataset.NoDay
		if c != dataset.NoDay && c <= asOf {
			b.churn[i] = c
		}
	}
	for _, a := range attrs {
		col := d.Subs.Attr(a.Name)
		idx := map[string]int32{}
		for k, l := range a.Levels {
			idx[l] = int32(k)
		}
		v := make([]int32, n)
		for i, s := range col {
			v[i] = -1
			if k, ok := idx[s]; ok {
				v[i] = k
			}
		}
		b.attrV = append(b.attrV, v)
	}
	return b, nil
}

// eligible reports whether subscriber r is in service at the end of day cut
// (activated on or before it, not churned on or before it).
func (b *base) eligible(r int, cut dataset.Day) bool {
	a := b.d.Subs.Activation[r]
	if a == dataset.NoDay || a > cut {
		return false
	}
	c := b.churn[r]
	return c == dataset.NoDay || c > cut
}

// raw holds the untransformed values behind a feature row, for reasons.
type raw struct {
	TenureMonths float64
	RecencyDays  float64
	Level        float64
	Trend        float64 // relative change of the last period against the previous ones
	Change       float64 // relative change of the last period against the one before
	Share        float64
	Slope        float64 // least-squares slope of spend per period over its mean
	NoPurchase   bool
}

// features fills x (width columns) for subscriber r at cutoff day cut, using
// panel columns up to and including col (the column containing cut).
func (b *base) features(x []float64, r int, cut dataset.Day, col int, dsg *design) raw {
	clear(x)
	x[0] = 1
	s := b.d.Subs
	act := s.Activation[r]
	var rw raw
	rw.TenureMonths = float64(cut+1-act) / dataset.UnitMonth.Days()
	if band := tenureBand(rw.TenureMonths); band > 0 {
		x[band] = 1
	}
	p := b.panel
	// Observed columns: from activation (or the panel start) to col.
	from := max(0, p.Column(act))
	if act < p.Period.Start(p.First) {
		from = 0
	}
	var spend []float64
	var last []dataset.Day
	if c := b.custOf[r]; c >= 0 && int(c) < p.Customers {
		spend = p.Row(int(c), nil)
		last = make([]dataset.Day, p.Periods)
		for j := range last {
			last[j] = dataset.NoDay
		}
		cols, _, _ := p.Cells(int(c))
		for k, j := range cols {
			last[j] = b.last[p.Start[c]+int64(k)]
		}
	}
	at := func(j int) float64 {
		if spend == nil || j < from || j > col {
			return 0
		}
		return math.Max(0, spend[j])
	}
	// Recency: days since the last purchase, or since activation / the
	// window start when there was none.
	lastDay := dataset.NoDay
	for j := col; j >= from && last != nil; j-- {
		if last[j] != dataset.NoDay && last[j] <= cut {
			lastDay = last[j]
			break
		}
	}
	if lastDay == dataset.NoDay {
		rw.NoPurchase = true
		lastDay = max(act, p.Period.Start(p.First))
	}
	rw.RecencyDays = float64(max(0, cut-lastDay))
	pd := p.Period.Days()
	bs := dsg.behaviourStart()
	x[bs+colRecency] = math.Log1p(rw.RecencyDays / pd)
	if rw.NoPurchase {
		x[bs+colNoPurchase] = 1
	}
	obs := col - from + 1
	// Level: mean spend over the last `history` observed columns.
	nl := min(history, obs)
	var lvl float64
	for j := col - nl + 1; j <= col; j++ {
		lvl += at(j)
	}
	lvl /= float64(max(1, nl))
	rw.Level = lvl
	x[bs+colLevel] = math.Log1p(lvl)
	if obs >= 2 {
		np := min(history, obs-1)
		var prev float64
		for j := col - np; j < col; j++ {
			prev += at(j)
		}
		prev /= float64(np)
		x[bs+colTrend] = math.Log1p(at(col)) - math.Log1p(prev)
		x[bs+colChange] = math.Log1p(at(col)) - math.Log1p(at(col-1))
		rw.Trend = relChange(at(col), prev)
		rw.Change = relChange(at(col), at(col-1))
	}
	ns := min(shareWindow, obs)
	var with int
	for j := col - ns + 1; j <= col; j++ {
		if at(j) > 0 {
			with++
		}
	}
	rw.Share = float64(with) / float64(max(1, ns))
	x[bs+colShare] = rw.Share
	nw := min(slopeWindow, obs)
	if nw >= 2 {
		ys := make([]float64, 0, slopeWindow)
		for j := col - nw + 1; j <= col; j++ {
			ys = append(ys, at(j))
		}
		rw.Slope = relativeSlope(ys)
		x[bs+colSlope] = rw.Slope
		for k, c := range declineKnots {
			x[bs+colDecline+k] = -math.Max(-c, math.Min(0, rw.Slope))
		}
	}
	off := dsg.attrStart()
	for k, a := range dsg.Attrs {
		if v := b.attrV[k][r]; v >= 0 {
			x[off+int(v)] = 1
		}
		off += len(a.Levels)
	}
	return rw
}

func relChange(now, before float64) float64 {
	if before <= 0 {
		if now > 0 {
			return 1
		}
		return 0
	}
	return now/before - 1
}

// relativeSlope returns the ordinary least-squares slope of y against its
// index divided by the mean of y, clamped to [−1, 1]; 0 for a zero mean.
func relativeSlope(y []float64) float64 {
	n := float64(len(y))
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= n
	if mean <= 0 {
		return 0
	}
	xbar := (n - 1) / 2
	var sxy, sxx float64
	for i, v := range y {
		dx := float64(i) - xbar
		sxy += dx * (v - mean)
		sxx += dx * dx
	}
	return math.Max(-1, math.Min(1, sxy/sxx/mean))
}
