package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
)

// Options configures Generate.
type Options struct {
	// Subscribers is the number of subscribers in the export (at least 1).
	Subscribers int
	// Months is the length of the observation window in calendar months (1..600).
	Months int
	// Seed selects the random streams; the same Options give the same base.
	Seed uint64
	// End is the last day of the window (inclusive). NoDay or 0 means 2024-12-31.
	End dataset.Day
	// Complete makes the subscriber export hold every subscriber ever
	// activated, also those who churned before the window opened (with their
	// churn date and no transactions). By default the export is left-truncated
	// like a typical operator export: it holds only the subscribers active at
	// the start of the window or activated later.
	Complete bool
}

// Base is a generated subscriber base: the subscriber export and the
// transaction export. Transactions.IDs equals Subscribers.ID (every
// subscriber is a customer, including those that never transacted), and
// Transactions rows are sorted by day, then subscriber.
type Base struct {
	Subscribers  dataset.Subscribers
	Transactions dataset.Transactions
	// Start is the first day of the window.
	Start dataset.Day
	// End is the last day of the window.
	End dataset.Day
}

// ErrOptions reports invalid generator options.
var ErrOptions = errors.New("invalid generator options")

// AttrNames are the attribute columns of the generated subscriber export, in order.
var AttrNames = []string{"plan", "customer_type", "region"}

// DefaultEnd is the default last day of the window, 2024-12-31.
var DefaultEnd = dataset.Civil(2024, 12, 31)

const (
	preWindowMonths = 72   // how far before the window pre-window activations reach
	preWindowShare  = 0.70 // share of candidates drawn with a pre-window activation
	maxCandidates   = 200  // candidates tried per subscriber before giving up
)

type plan struct {
	name       string
	ctype      string
	a, b       float64 // Beta churn heterogeneity
	arpu       float64 // median monthly spend
	sigma      float64 // log-sd of ARPU across subscribers
	billSigma  float64 // log-sd of bill-to-bill noise
	prepaid    bool
	keyAccount bool
}

var (
	prepaidPlan  = plan{name: "prepaid", ctype: "consumer", a: 0.9, b: 14.4, arpu: 18, sigma: 0.45, prepaid: true}
	postpaidPlan = plan{name: "postpaid", ctype: "consumer", a: 1.0, b: 40.7, arpu: 42, sigma: 0.45, billSigma: 0.12}
	familyPlan   = plan{name: "family", ctype: "consumer", a: 1.2, b: 73.8, arpu: 85, sigma: 0.45, billSigma: 0.12}
	smePlan      = plan{name: "business", ctype: "sme", a: 1.5, b: 105.6, arpu: 240, sigma: 0.45, billSigma: 0.20}
	entPlan      = plan{name: "business", ctype: "enterprise", a: 1.5, b: 105.6, arpu: 900, sigma: 0.45, billSigma: 0.20}
	keyPlan      = plan{name: "business", ctype: "key_account", a: 1.0, b: 249, arpu: 12000, sigma: 0.35, billSigma: 0.10, keyAccount: true}
)

var regions = []string{"north", "south", "east", "west", "central"}
var regionWeights = []float64{0.22, 0.25, 0.20, 0.18, 0.15}

var vouchers = []float64{5, 10, 15, 20, 30, 50, 100}

// seasonal is the spend factor per calendar month (index 0 = January).
var seasonal = [12]float64{0.95, 1, 1, 1, 1, 1, 1.04, 1.04, 1, 1, 1, 1.10}

// txn is one generated transaction before sorting.
type txn struct {
	day    dataset.Day
	amount float64
}

// subscriber is one generated subscriber.
type subscriber struct {
	activation, churn dataset.Day
	plan              *plan
	region            string
	tx                []txn
}

// Generate builds a synthetic subscriber base. It returns an error wrapping
// ErrOptions when the options are out of range.
func Generate(opt Options) (*Base, error) {
	if opt.Subscribers < 1 || opt.Subscribers > 100_000_000 {
		return nil, fmt.Errorf("%w: subscribers must be between 1 and 100000000, got %d", ErrOptions, opt.Subscribers)
	}
	if opt.Months < 1 || opt.Months > 600 {
		return nil, fmt.Errorf("%w: months must be between 1 and 600, got %d", ErrOptions, opt.Months)
	}
	end := opt.End
	if end == dataset.NoDay || end == 0 {
		end = DefaultEnd
	}
	ey, _, _ := end.Date()
	if ey < 1900 || ey > 9000 {
		return nil, fmt.Errorf("%w: end date %s out of range", ErrOptions, end)
	}
	w := window{end: end, months: opt.Months, complete: opt.Complete}
	w.first = dataset.PeriodMonth.Index(end) - (opt.Months - 1)
	w.start = w.monthStart(0)

	n := opt.Subscribers
	keyEvery := 600
	base := &Base{Start: w.start, End: end}
	subs := &base.Subscribers
	subs.ID = make([]string, n)
	subs.Activation = make([]dataset.Day, n)
	subs.Churn = make([]dataset.Day, n)
	subs.AttrNames = slices.Clone(AttrNames)
	subs.Attrs = [][]string{make([]string, n), make([]string, n), make([]string, n)}
	width := len(fmt.Sprint(n))
	if width < 6 {
		width = 6
	}

	var all []row
	candidate := uint64(0)
	for i := range n {
		// Key accounts sit at fixed positions so that every base has at least one.
		key := i%keyEvery == keyEvery/2 || (n <= keyEvery/2 && i == n/2)
		var s subscriber
		ok := false
		for range maxCandidates {
			r := rand.New(rand.NewPCG(opt.Seed, candidate))
			candidate++
			if s, ok = w.draw(r, key); ok {
				break
			}
		}
		if !ok {
			// Practically unreachable: every in-window activation is accepted.
			return nil, fmt.Errorf("%w: could not place subscriber %d in the window", ErrOptions, i+1)
		}
		subs.ID[i] = fmt.Sprintf("S%0*d", width, i+1)
		subs.Activation[i] = s.activation
		subs.Churn[i] = s.churn
		subs.Attrs[0][i] = s.plan.name
		subs.Attrs[1][i] = s.plan.ctype
		subs.Attrs[2][i] = s.region
		for _, t := range s.tx {
			all = append(all, row{day: t.day, customer: int32(i), amount: t.amount})
		}
	}
	// Billing-export order: by day, then subscriber; generation order breaks ties.
	slices.SortStableFunc(all, func(a, b row) int {
		if a.day != b.day {
			return int(a.day) - int(b.day)
		}
		return int(a.customer) - int(b.customer)
	})
	tx := &base.Transactions
	tx.IDs = subs.ID
	tx.Customer = make([]int32, len(all))
	tx.Day = make([]dataset.Day, len(all))
	tx.Amount = make([]float64, len(all))
	for k, r := range all {
		tx.Customer[k], tx.Day[k], tx.Amount[k] = r.customer, r.day, r.amount
	}
	return base, nil
}

type row struct {
	day      dataset.Day
	customer int32
	amount   float64
}

// window is the observation window; months are counted from its first month (0).
type window struct {
	first    int // dataset.PeriodMonth index of month 0
	months   int
	complete bool // keep subscribers who churned before the window
	start    dataset.Day
	end      dataset.Day
}

func (w window) monthStart(m int) dataset.Day { return dataset.PeriodMonth.Start(w.first + m) }

func (w window) monthLen(m int) int { return int(w.monthStart(m+1) - w.monthStart(m)) }

// draw generates one candidate subscriber; ok is false when the candidate
// churned before the window opened (and so is not in the export).
func (w window) draw(r *rand.Rand, key bool) (subscriber, bool) {
	var s subscriber
	switch {
	case key:
		s.plan = &keyPlan
	default:
		switch pick(r, []float64{0.45, 0.33, 0.12, 0.10}) {
		case 0:
			s.plan = &prepaidPlan
		case 1:
			s.plan = &postpaidPlan
		case 2:
			s.plan = &familyPlan
		default:
			if r.Float64() < 0.2 {
				s.plan = &entPlan
			} else {
				s.plan = &smePlan
			}
		}
	}
	s.region = regions[pick(r, regionWeights)]
	theta := betaRand(r, s.plan.a, s.plan.b)

	// Activation month relative to the window (negative = before it).
	var actMonth int
	if r.Float64() < preWindowShare {
		actMonth = -1 - r.IntN(preWindowMonths)
	} else {
		actMonth = r.IntN(w.months)
	}
	s.activation = w.monthStart(actMonth) + dataset.Day(r.IntN(w.monthLen(actMonth)))
	if s.activation > w.end {
		s.activation = w.end
	}

	// Churn: geometric with probability theta per month after the activation month.
	s.churn = dataset.NoDay
	churnMonth := w.months // beyond the window: active at End
	for m := actMonth + 1; m < w.months; m++ {
		if r.Float64() < theta {
			churnMonth = m
			break
		}
	}
	if churnMonth < w.months {
		if churnMonth < 0 {
			if !w.complete {
				return s, false // left before the window opened
			}
			// In a complete export: churned before the window, no transactions.
			s.churn = max(s.activation+1, w.monthStart(churnMonth)+dataset.Day(r.IntN(w.monthLen(churnMonth))))
			return s, true
		}
		s.churn = w.monthStart(churnMonth) + dataset.Day(r.IntN(w.monthLen(churnMonth)))
		if s.churn > w.end {
			s.churn = dataset.NoDay
			churnMonth = w.months
		}
	}

	arpu := s.plan.arpu * math.Exp(s.plan.sigma*r.NormFloat64())
	if s.region == "central" {
		arpu *= 1.15
	}
	last := w.end
	if s.churn != dataset.NoDay {
		last = s.churn
	}
	if s.plan.prepaid {
		w.topUps(r, &s, actMonth, churnMonth, arpu, last)
	} else {
		w.bills(r, &s, actMonth, churnMonth, arpu, last)
	}
	return s, true
}

// factor is the lifecycle and seasonal spend multiplier in window month m.
func (w window) factor(m, actMonth, churnMonth int) float64 {
	f := 1.0
	switch age := m - actMonth; {
	case age <= 0:
		f = 0.55
	case age == 1:
		f = 0.70
	case age == 2:
		f = 0.85
	}
	if churnMonth < w.months {
		switch churnMonth - m {
		case 3:
			f *= 0.85
		case 2:
			f *= 0.70
		case 1, 0:
			f *= 0.55
		}
	}
	_, month, _ := w.monthStart(m).Date()
	return f * seasonal[month-1]
}

// bills generates the monthly bills of a postpaid, family or business
// subscriber: one bill per billing-cycle day between activation and the last
// active day, the first prorated by the days since activation, and for a
// churner a final prorated bill on the churn date.
func (w window) bills(r *rand.Rand, s *subscriber, actMonth, churnMonth int, arpu float64, last dataset.Day) {
	cycle := dataset.Day([]int{1, 5, 10, 15, 20, 25}[r.IntN(6)])
	prev := s.activation // start of the period the next bill covers
	emit := func(day dataset.Day, m int) {
		share := math.Min(1, float64(day-prev)/dataset.UnitMonth.Days())
		prev = day
		if day < w.start {
			return
		}
		amt := arpu * share * w.factor(m, actMonth, churnMonth) * math.Exp(s.plan.billSigma*r.NormFloat64())
		if r.Float64() < 0.06 {
			amt *= 1.3 + 0.7*r.Float64()
		}
		s.tx = append(s.tx, txn{day, cents(amt)})
		if r.Float64() < 0.004 {
			if credit := day + dataset.Day(2+r.IntN(10)); credit <= last {
				s.tx = append(s.tx, txn{credit, -cents(2 + 23*r.Float64())})
			}
		}
	}
	for m := max(actMonth, -1); m < w.months; m++ {
		bill := w.monthStart(m) + cycle - 1
		if bill <= s.activation {
			continue
		}
		if bill > last {
			break
		}
		emit(bill, m)
	}
	if s.churn != dataset.NoDay && s.churn > prev {
		emit(s.churn, churnMonth)
	}
}

// topUps generates the irregular voucher top-ups of a prepaid subscriber.
func (w window) topUps(r *rand.Rand, s *subscriber, actMonth, churnMonth int, arpu float64, last dataset.Day) {
	lambda := gammaRand(r, 1.3, 1.4)
	size := arpu / math.Max(lambda, 0.3)
	for m := max(actMonth, 0); m <= min(churnMonth, w.months-1); m++ {
		from := max(w.monthStart(m), s.activation)
		to := min(w.monthStart(m+1)-1, last)
		if to < from {
			continue
		}
		frac := float64(to-from+1) / float64(w.monthLen(m))
		k := poisson(r, lambda*frac*w.factor(m, actMonth, churnMonth))
		for range k {
			d := from + dataset.Day(r.IntN(int(to-from)+1))
			s.tx = append(s.tx, txn{d, voucher(size * math.Exp(0.35*r.NormFloat64()))})
		}
	}
}

// voucher returns the voucher value nearest to x on a log scale.
func voucher(x float64) float64 {
	best, bd := vouchers[0], math.Inf(1)
	for _, v := range vouchers {
		if d := math.Abs(math.Log(x / v)); d < bd {
			best, bd = v, d
		}
	}
	return best
}

func cents(x float64) float64 { return math.Round(x*100) / 100 }

func pick(r *rand.Rand, w []float64) int {
	u := r.Float64()
	for i, p := range w {
		if u < p {
			return i
		}
		u -= p
	}
	return len(w) - 1
}

// gammaRand draws from Gamma(shape, scale) (Marsaglia and Tsang, 2000).
func gammaRand(r *rand.Rand, shape, scale float64) float64 {
	if shape < 1 {
		return gammaRand(r, shape+1, scale) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v * scale
		}
	}
}

// betaRand draws from Beta(a, b) as a ratio of gamma variates.
func betaRand(r *rand.Rand, a, b float64) float64 {
	x := gammaRand(r, a, 1)
	y := gammaRand(r, b, 1)
	return x / (x + y)
}

// poisson draws from Poisson(lambda) by multiplying uniforms (small lambda).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		// Normal approximation, only reached with extreme options.
		k := int(math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64()))
		return max(k, 0)
	}
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
