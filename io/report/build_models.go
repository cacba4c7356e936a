package report

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/rfm"
	"github.com/clvkit/clv/segment"
)

func (b *builder) rfmSection(bins int) (Section, error) {
	s := b.segs.Summary
	sec := b.section(titleRFM)
	m := &rfm.Metrics{IDs: s.IDs, Recency: s.Recency, Frequency: s.Transactions, Monetary: s.Total, Revenue: s.Total}
	sc, err := rfm.Score(m, rfm.Options{Method: rfm.Quantile, Bins: bins})
	if err != nil {
		if errors.Is(err, rfm.ErrEmpty) {
			sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("rfm.empty")})
			return sec, nil
		}
		return sec, fmt.Errorf("rfm: %w", err)
	}
	g, err := rfm.Segment(sc, rfm.DefaultRules(bins))
	if err != nil {
		return sec, fmt.Errorf("rfm: %w", err)
	}
	rr, err := rfm.Summarize(m, sc, g)
	if err != nil {
		return sec, fmt.Errorf("rfm: %w", err)
	}
	segs := slices.Clone(rr.Segments)
	slices.SortStableFunc(segs, func(a, b rfm.SegmentSummary) int {
		switch {
		case a.Revenue > b.Revenue:
			return -1
		case a.Revenue < b.Revenue:
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	name := []string{}
	var cust []int64
	var cshare, rshare, rec, frq, mon []float64
	for _, x := range segs {
		if x.Customers == 0 {
			continue
		}
		name = append(name, b.l.Label("rfmseg", x.Name))
		cust = append(cust, int64(x.Customers))
		cshare = append(cshare, x.CustomerShare)
		rshare = append(rshare, x.RevenueShare)
		rec = append(rec, x.MeanRecency)
		frq = append(frq, x.MeanFrequency)
		mon = append(mon, x.MeanMonetary)
	}
	sec.Blocks = append(sec.Blocks,
		Block{Text: b.l.T("rfm.intro", bins, b.count(rr.Customers-rr.Active), b.boundaryTies(m, sc))},
		Block{Table: &render.Table{Title: b.l.T("rfm.table"), Columns: []render.Column{
			render.Strings("segment", name), render.Ints("customers", cust), render.Floats("customer_share", cshare),
			render.Floats("revenue_share", rshare), digits(render.Floats("mean_recency_days", rec), 0),
			digits(render.Floats("mean_transactions", frq), 1), digits(render.Floats("mean_total_spend", mon), 2),
		}}},
	)
	return sec, nil
}

func digits(c render.Column, d int) render.Column {
	c.Digits = d
	if d == 0 {
		// Digits 0 means "default" to the renderers; round explicitly.
		f := make([]float64, len(c.Floats))
		for i, v := range c.Floats {
			f[i] = math.Round(v)
		}
		c.Floats = f
		c.Digits = -1
	}
	return c
}

// retentionSection shows the retention groups with their sBG fits, and the
// life table and curves of the whole base.
func (b *builder) retentionSection() Section {
	sec := b.section(titleRetention)
	if !b.base.HasSubscribers() {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("ret.nosubs")})
		return sec
	}
	ret, err := b.base.Retention()
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("ret.error", err.Error())})
		return sec
	}
	p := ret.Period
	pool := ret.Pool
	if len(pool.Life) == 0 {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("ret.empty")})
		return sec
	}
	u, us := b.unit(p.String()), b.units(p.String())
	sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("ret.intro", us, u)})
	if t := b.base.Truncation(); t.From != dataset.NoDay {
		how := b.l.T("truncation.given")
		if t.Detected {
			how = b.l.T("ret.truncation.detected", b.evidence(t.Evidence))
		}
		sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("ret.truncation", t.From, how, b.count(t.ActivatedBefore))})
	}
	disc := b.base.Options().Discount
	// One row per retention group (one row for the whole base when ungrouped).
	groups := ret.Groups
	n := len(groups)
	name, note := make([]string, n), make([]string, n)
	subs := make([]int64, n)
	alpha, beta, ll, churn, life := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for k := range groups {
		g := &groups[k]
		name[k] = g.Name
		if ret.By == "" {
			name[k] = b.l.T("ret.all")
		}
		subs[k] = int64(len(g.Rows))
		switch {
		case g.Fit != nil:
			f := g.Fit
			alpha[k], beta[k], ll[k] = fmt.Sprintf("%.3f", f.Alpha), fmt.Sprintf("%.2f", f.Beta), FormatFloat(f.LogLik, 1)
			churn[k] = pct(f.Alpha / (f.Alpha + f.Beta))
		case g.Geo != nil:
			ll[k], churn[k] = FormatFloat(g.Geo.LogLik, 1), pct(1-g.Geo.Rate)
			note[k] = b.l.T("ret.note.geo")
		default:
			note[k] = b.l.T("ret.note.nofit", shortErr(g.Err))
		}
		if g.Pooled {
			note[k] += b.l.T("ret.note.pooled")
		}
		if own := g.Own(); own != nil {
			if del, err := own.DEL(disc); err == nil {
				life[k] = FormatFloat(del, 1)
			}
		}
	}
	title := b.l.T("ret.table")
	if ret.By != "" {
		title = b.l.T("ret.table.by", b.attr(ret.By), ret.MinGroup)
	}
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: title, Columns: []render.Column{
		render.Strings(groupHeader(ret.By), name), render.Ints("subscribers", subs), render.Strings("alpha", alpha), render.Strings("beta", beta),
		render.Strings("log_likelihood", ll), render.Strings("mean_churn_per_"+p.String(), churn),
		render.Strings(fmt.Sprintf("discounted_lifetime_%ss", p), life), render.Strings("note", note),
	}}})
	var fit *retention.SBG
	if f := pool.Fit; f != nil {
		fit = &f.SBG
		figs := []Figure{
			{Label: b.l.T("ret.fig.alpha"), Value: fmt.Sprintf("%.3f", f.Alpha), Detail: b.l.T("ret.fig.se3", f.AlphaSE)},
			{Label: b.l.T("ret.fig.beta"), Value: fmt.Sprintf("%.2f", f.Beta), Detail: b.l.T("ret.fig.se2", f.BetaSE)},
			{Label: b.l.T("ret.fig.renewal", u), Value: pct(f.Retention(1)), Detail: b.l.T("ret.fig.renewal.detail", pct(pool.Life[0].Retention))},
			{Label: b.l.T("ret.fig.churn", u), Value: pct(f.Alpha / (f.Alpha + f.Beta)), Detail: b.l.T("ret.fig.churn.detail")},
		}
		if del, err := f.DEL(disc); err == nil {
			figs = append(figs, Figure{Label: b.l.T("ret.fig.del"), Value: b.l.T("ret.fig.del.value", FormatFloat(del, 1), us), Detail: b.l.T("ret.fig.del.detail", 100*disc, u)})
		}
		sec.Blocks = append(sec.Blocks, Block{Figures: figs})
	} else if pool.Err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("ret.pool.error", pool.Err.Error())})
	}
	sec.Blocks = append(sec.Blocks, b.retentionCharts(pool.Life, fit, p)...)
	sec.Blocks = append(sec.Blocks, Block{Table: b.lifeTable(pool.Life, fit, p)})
	return sec
}

func groupHeader(by string) string {
	if by == "" {
		return "group"
	}
	return by
}

// shortErr is an error's message without the package prefixes, for table cells.
func shortErr(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i > 12 {
		msg = msg[i+2:]
	}
	return msg
}

// retentionCharts draws survival and renewal rate by tenure, life table
// against the model. The rate chart stops where fewer than minAtRisk
// subscribers are at risk: beyond, one churn more or less swings the rate by
// a percent.
func (b *builder) retentionCharts(life []retention.LifeRow, fit *retention.SBG, p dataset.Period) []Block {
	l := b.l
	lt, model := l.T("ret.chart.lifetable"), l.T("ret.chart.model")
	tenure := l.T("ret.chart.tenure", l.Units(p.String()), l.Unit(p.String()))
	const minAtRisk = 50
	n := len(life)
	t := make([]float64, n)
	surv := make([]float64, n+1)
	surv[0] = 1
	var rt, retn []float64
	lo, hi := 1.0, 0.0
	for k, row := range life {
		t[k] = float64(row.Period)
		surv[k+1] = row.Survival
		if row.Exposure >= minAtRisk {
			rt = append(rt, float64(row.Period))
			retn = append(retn, row.Retention)
			lo, hi = math.Min(lo, row.Retention), math.Max(hi, row.Retention)
		}
	}
	t0 := append([]float64{0}, t...)
	sc := &chart.LineChart{Title: l.T("ret.chart.survival"), XLabel: tenure, YLabel: l.T("ret.chart.survival.y"), YPercent: true, YMin: 0, YMax: 1,
		LegendLeft: true, LegendBottom: true, Series: []chart.Series{{Name: lt, X: t0, Y: surv, Points: n <= 40}}}
	rc := &chart.LineChart{Title: l.T("ret.chart.renewal"), XLabel: tenure, YLabel: l.T("ret.chart.renewal.y"), YPercent: true,
		LegendBottom: true, Series: []chart.Series{{Name: lt, X: rt, Y: retn, Points: len(rt) <= 40}}}
	if fit != nil {
		ms := make([]float64, n+1)
		ms[0] = 1
		for k, pr := range retention.Curve(*fit, n) {
			ms[k+1] = pr.Survival
		}
		mr := make([]float64, len(rt))
		for k, x := range rt {
			mr[k] = fit.Retention(int(x))
			lo, hi = math.Min(lo, mr[k]), math.Max(hi, mr[k])
		}
		sc.Series = append(sc.Series, chart.Series{Name: model, X: t0, Y: ms})
		rc.Series = append(rc.Series, chart.Series{Name: model, X: rt, Y: mr})
	}
	if hi > lo {
		rc.YMin, rc.YMax = lo-0.45*(hi-lo), math.Min(1, hi+0.05*(hi-lo))
	}
	var out []Block
	if svg, err := sc.SVG(); err == nil {
		out = append(out, Block{Chart: &Chart{Caption: l.T("ret.chart.survival.caption"), Alt: l.T("ret.chart.survival.alt"), SVG: svg}})
	}
	if len(rt) > 1 {
		if svg, err := rc.SVG(); err == nil {
			out = append(out, Block{Chart: &Chart{Caption: l.T("ret.chart.renewal.caption", l.Unit(p.String()), minAtRisk), Alt: l.T("ret.chart.renewal.alt"), SVG: svg}})
		}
	}
	return out
}

// lifeTable shows the first 12 periods of the life table, then every 6th,
// and the last.
func (b *builder) lifeTable(life []retention.LifeRow, fit *retention.SBG, p dataset.Period) *render.Table {
	n := len(life)
	var rows []int
	for k := range life {
		if k < 12 || (k+1)%6 == 0 || k == n-1 {
			rows = append(rows, k)
		}
	}
	m := len(rows)
	per := make([]int64, m)
	atRisk, churned, censored, rr, ss, mrr, mss := make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
	for j, k := range rows {
		row := life[k]
		per[j] = int64(row.Period)
		atRisk[j], churned[j], censored[j], rr[j], ss[j] = row.AtRisk, row.Churned, row.Censored, row.Retention, row.Survival
		if fit != nil {
			mrr[j], mss[j] = fit.Retention(row.Period), fit.Survival(row.Period)
		}
	}
	cols := []render.Column{render.Ints("tenure_"+p.String(), per), digits(render.Floats("at_risk", atRisk), 0),
		digits(render.Floats("churned", churned), 0), digits(render.Floats("censored_active_at_as_of", censored), 0),
		render.Floats("retention_rate", rr), render.Floats("survival_rate", ss)}
	if fit != nil {
		cols = append(cols, render.Floats("sbg_retention_rate", mrr), render.Floats("sbg_survival_rate", mss))
	}
	title := b.l.T("ret.life")
	if m < n {
		title = b.l.T("ret.life.some", b.units(p.String()), n)
	}
	return &render.Table{Title: title, Columns: cols}
}

// repeatSection shows the BG/NBD fit of the repeat transactions (model time
// in months) on the customers with a first purchase — the fit clv fit bgnbd
// --unit month makes — and Gamma-Gamma spend when it exists.
func (b *builder) repeatSection() Section {
	sec := b.section(titleRepeat)
	sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("rep.intro")})
	fit, err := b.base.Repeat("bgnbd", dataset.UnitMonth, btyd.Options{})
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("rep.error", err.Error())})
		return sec
	}
	counter, err := fit.Counter()
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("rep.error.counter", err.Error())})
		return sec
	}
	s := b.segs.Summary
	x := make([]float64, s.Len())
	for i, v := range s.X {
		x[i] = float64(v)
	}
	months := b.segs.Options.Horizon * float64(b.panel.Period.Months())
	pred, err := btyd.Predict(counter, x, s.Tx, s.T, nil, btyd.PredictOptions{Horizon: months})
	if err != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("rep.error.predict", err.Error())})
		return sec
	}
	figs := []Figure{
		{Label: "r, alpha", Value: fmt.Sprintf("%.3g, %.3g", fit.Params[0], fit.Params[1]), Detail: b.l.T("rep.fig.rate")},
		{Label: "a, b", Value: fmt.Sprintf("%.3g, %.3g", fit.Params[2], fit.Params[3]), Detail: b.l.T("rep.fig.dropout")},
		{Label: b.l.T("rep.fig.customers"), Value: b.count(int(fit.Customers)), Detail: b.l.T("rep.fig.loglik", FormatFloat(fit.LogLikelihood, 1))},
	}
	var total float64
	for _, e := range pred.Expected {
		total += e
	}
	figs = append(figs, Figure{Label: b.l.T("rep.fig.expected", months), Value: b.money(total), Detail: b.l.T("rep.fig.expected.detail")})
	gg, ggErr := b.base.Repeat("gg", dataset.UnitMonth, btyd.Options{})
	if ggErr == nil {
		spend := btyd.GammaGamma{P: gg.Params[0], Q: gg.Params[1], Gamma: gg.Params[2]}
		if m := spend.MeanSpend(); !math.IsNaN(m) && !math.IsInf(m, 0) {
			figs = append(figs, Figure{Label: b.l.T("rep.fig.spend"), Value: b.money(m), Detail: b.l.T("rep.fig.spend.detail")})
		} else {
			ggErr = errors.New(b.l.T("rep.gg.heavy", gg.Params[1]))
		}
	}
	sec.Blocks = append(sec.Blocks, Block{Figures: figs})
	// Mean P(alive) per lifecycle stage: the two views should agree.
	r := b.segs.Result
	var sum [segment.NumStages]float64
	var cnt [segment.NumStages]int64
	for i := range r.IDs {
		sum[r.Stage[i]] += pred.PAlive[i]
		cnt[r.Stage[i]]++
	}
	names := make([]string, segment.NumStages)
	mean := make([]float64, segment.NumStages)
	counts := make([]int64, segment.NumStages)
	for k, st := range segment.Stages {
		names[k] = b.stage(st.String())
		counts[k] = cnt[st]
		if cnt[st] > 0 {
			mean[k] = sum[st] / float64(cnt[st])
		}
	}
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: b.l.T("rep.table"), Columns: []render.Column{
		render.Strings("stage", names), render.Ints("subscribers", counts), render.Floats("mean_alive_probability", mean),
	}}})
	if ggErr != nil {
		sec.Blocks = append(sec.Blocks, Block{Note: b.l.T("rep.gg.none", ggErr.Error())})
	}
	return sec
}

// boundaryTies says how many customers hold a value equal to an RFM cut point
// (ties that an equal-count method would split by id).
func (b *builder) boundaryTies(m *rfm.Metrics, sc *rfm.Scores) string {
	countAt := func(cuts []float64, v func(i int) float64) int {
		n := 0
		for i := range m.IDs {
			if m.Frequency[i] <= 0 {
				continue
			}
			if slices.Contains(cuts, v(i)) {
				n++
			}
		}
		return n
	}
	r := countAt(sc.Recency.Cuts, func(i int) float64 { return float64(m.Recency[i]) })
	f := countAt(sc.Frequency.Cuts, func(i int) float64 { return float64(m.Frequency[i]) })
	mo := countAt(sc.Monetary.Cuts, func(i int) float64 { return m.Monetary[i] })
	return b.l.T("rfm.ties", b.count(r), b.count(f), b.count(mo))
}
