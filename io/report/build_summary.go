package report

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

func pct(v float64) string { return FormatPercent(v) }

// overviewSection: key figures and the first things to do.
func (b *builder) overviewSection(v *clv.Views, top int) Section {
	r := b.segs.Result
	var atRisk float64
	stages := v.Stages
	warnCount := v.WarningTotal
	for _, i := range r.EarlyWarning(b.segs.Options.RiskThreshold, 0) {
		atRisk += r.ValueAtRisk[i]
	}
	active := r.Len() - stages[segment.Churned]
	first, last := b.panel.Label(0), b.panel.Label(b.panel.Periods-1)
	l := b.l
	figs := []Figure{
		{Label: l.T("sum.fig.subscribers"), Value: b.count(r.Len()), Detail: l.T("sum.fig.subscribers.detail", b.count(active), b.count(stages[segment.Churned]))},
		{Label: l.T("sum.fig.revenue"), Value: b.money(v.Revenue), Detail: l.T("sum.fig.revenue.detail", first, last)},
		{Label: l.T("sum.fig.value"), Value: b.money(b.segs.BaseValue), Detail: b.valueDetail()},
		{Label: l.T("sum.fig.top20"), Value: pct(v.Concentration.TopShare[2]), Detail: l.T("sum.fig.top20.detail", v.Concentration.Gini)},
		{Label: l.T("sum.fig.warning"), Value: b.count(warnCount), Detail: l.T("sum.fig.warning.detail", b.money(atRisk))},
	}
	sec := Section{Title: b.l.T(titleSummary), Blocks: []Block{{Figures: figs}}}
	var lines []string
	var recorded int
	for i := range r.IDs {
		if r.Stage[i] == segment.Churned && r.TenurePeriods[i] >= 0 && b.segs.Churn != nil && b.segs.Churn[i] != dataset.NoDay && b.segs.Churn[i] <= r.AsOf {
			recorded++
		}
	}
	lines = append(lines, l.T("sum.lifecycle",
		b.count(stages[segment.Acquisition]), b.count(stages[segment.Growth]), b.count(stages[segment.Maturity]),
		b.count(stages[segment.Decline]), b.count(stages[segment.Churned]), pct(float64(stages[segment.Churned])/float64(r.Len())),
		b.count(recorded), b.count(stages[segment.Churned]-recorded), b.segs.Options.Rules.LapsePeriods, b.units(r.Period.String())))
	if line := b.kpiLine(); line != "" {
		lines = append(lines, line)
	}
	lines = append(lines, l.T("sum.concentration",
		pct(v.Concentration.TopShare[0]), pct(v.Concentration.TopShare[2]), b.count(v.Key.Accounts), pct(v.Key.RevenueShare)))
	if len(v.Warning) > 0 {
		w := v.Warning[0]
		lines = append(lines, l.T("sum.callfirst",
			b.count(warnCount), b.money(atRisk), b.ref(titleWarning), w.ID, b.tier(w.Tier), b.money(w.ValueAtRisk)))
	}
	// Biggest living cell by total CLV and its action.
	best := -1
	for k, m := range v.Matrix {
		if m.Stage == "churned" {
			continue
		}
		if best < 0 || m.TotalCLV > v.Matrix[best].TotalCLV {
			best = k
		}
	}
	if best >= 0 && v.Matrix[best].Subscribers > 0 {
		m := v.Matrix[best]
		lines = append(lines, l.T("sum.core",
			b.count(m.Subscribers), l.T("adjective."+m.Stage), b.tier(m.Tier), b.money(m.TotalCLV), b.action(m.Action)))
	}
	sec.Blocks = append(sec.Blocks, Block{Text: strings.Join(lines, "\n")})
	return sec
}

func (b *builder) valueKind() string {
	switch b.segs.Model {
	case "sbg":
		return b.l.T("valuekind.sbg")
	case "bgnbd":
		return b.l.T("valuekind.bgnbd")
	}
	return b.l.T("valuekind.runrate", b.segs.Options.Horizon, b.units(b.segs.Period.String()))
}

// qualitySection: what was read and what was left out.
func (b *builder) qualitySection() Section {
	sec := b.section(titleQuality)
	l := b.opt
	n := len(l.Stats)
	file, kind := make([]string, n), make([]string, n)
	rows, acc, rej, dup := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for k, st := range l.Stats {
		kind[k], file[k] = b.l.T("quality.content.transactions"), l.Transactions
		if k == 0 && n == 2 {
			kind[k], file[k] = b.l.T("quality.content.subscribers"), l.Subscribers
		}
		file[k] = filepath.Base(file[k])
		if file[k] == "-" {
			file[k] = b.l.T("report.stdin")
		}
		rows[k], acc[k], rej[k], dup[k] = st.Rows, st.Accepted, st.Rejected, st.Duplicates
	}
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: b.l.T("quality.files"), Columns: []render.Column{
		render.Strings("file", file), render.Strings("content", kind), render.Ints("rows", rows),
		render.Ints("accepted", acc), render.Ints("rejected", rej), render.Ints("duplicates_dropped", dup),
	}}})
	tx := b.base.Tx
	subs, subOf := b.base.Subs, b.base.SubOf
	first, last := tx.DayRange()
	var negative, zero int64
	for _, v := range tx.Amount {
		switch {
		case v < 0:
			negative++
		case v == 0:
			zero++
		}
	}
	items := []string{
		b.l.T("quality.range", first, last, b.segs.Summary.AsOf, b.excludedText(b.segs.Summary.Excluded)),
	}
	var activatedAfter int
	if subs == nil {
		items = append(items, b.l.T("quality.nosubs", b.count(len(tx.IDs))))
	} else {
		withTx := make([]bool, len(tx.IDs))
		for _, c := range tx.Customer {
			withTx[c] = true
		}
		var unknown, silent int
		for c, has := range withTx {
			if has && subOf[c] < 0 {
				unknown++
			}
			if !has && subOf[c] >= 0 {
				silent++
			}
		}
		var churnedRecorded int
		for r := range subs.ID {
			if subs.Churn[r] != dataset.NoDay && subs.Churn[r] <= b.segs.Summary.AsOf {
				churnedRecorded++
			}
			if subs.Activation[r] != dataset.NoDay && subs.Activation[r] > b.segs.Summary.AsOf {
				activatedAfter++
			}
		}
		items = append(items,
			b.l.T("quality.subs", b.count(subs.Len()), b.count(churnedRecorded)),
			b.l.T("quality.overlap", b.count(len(tx.IDs)-silent), b.count(silent), b.count(unknown)))
	}
	items = append(items, b.l.T("quality.amounts", b.count64(negative), b.count64(zero)))
	if activatedAfter > 0 {
		items = append(items, b.l.T("quality.later", b.count(activatedAfter)))
	}
	var rejected int64
	for _, st := range l.Stats {
		rejected += st.Rejected
	}
	if rejected > 0 {
		items = append(items, b.l.T("quality.rejected", b.count64(rejected)))
	}
	if t := b.base.Truncation(); t.From != dataset.NoDay {
		how := b.l.T("truncation.given")
		if t.Detected {
			how = b.l.T("truncation.detected", b.evidence(t.Evidence))
		}
		items = append(items, b.l.T("quality.truncated",
			t.From, how, b.count(t.ActivatedBefore), b.ref(titleKPI), b.ref(titleRetention)))
	}
	if len(b.opt.Findings) == 0 {
		items = append(items, b.l.T("quality.clean"))
	}
	for _, f := range b.opt.Findings {
		items = append(items, b.l.T("quality.finding", b.l.Label("finding", f.Kind), b.count64(f.Count), b.findingText(f)))
	}
	sec.Blocks = append(sec.Blocks, Block{Text: strings.Join(items, "\n")})
	return sec
}

func (b *builder) excludedText(n int64) string {
	if n == 0 {
		return ""
	}
	return b.l.T("quality.excluded", b.count64(n))
}

// vipList lists the VIP thresholds.
func (b *builder) vipList(v []float64) string {
	if len(v) == 0 {
		return b.l.T("vip.none")
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = b.l.T("vip.threshold", i+1, b.money(x))
	}
	return strings.Join(parts, b.l.T("list.sep"))
}

func (b *builder) riskNote() string {
	if b.l.Chinese() {
		return b.l.T("risk.note", b.riskDescription())
	}
	return strings.ToUpper(b.segs.RiskDescription[:1]) + b.segs.RiskDescription[1:] + "."
}

// methodSection: rules and settings, so the numbers can be reproduced.
func (b *builder) methodSection(life string) Section {
	r := b.segs.Options.Rules
	p := b.segs.Period.String()
	u, us := b.unit(p), b.units(p)
	l := b.l
	lines := []string{
		l.T("method.periods", u, b.segs.AsOf, us),
		l.T("method.trend", u, r.TrendWindow, us),
		l.T("method.stages", r.LapsePeriods, us, r.AcquisitionPeriods, us, r.DeclineSlope, r.DeclineRecency, u, r.GrowthSlope),
		l.T("method.clv", b.valueDescription()),
		b.retentionMethod(),
		l.T("method.tiers", len(b.segs.Tiers), strings.Join(labels(l, "tier", b.segs.Tiers), l.T("list.sep"))),
		l.T("method.key", pct(b.segs.Options.KeyShare), b.vipList(b.segs.Options.VIP)),
		l.T("method.stars", b.segs.Options.Stars.Spend, b.segs.Options.Stars.Loyalty, us, b.segs.Options.Stars.Regularity, b.segs.Options.Stars.Activity, u),
		l.T("method.rfm", b.opt.RFMBins),
		l.T("method.chain", life),
		l.T("method.concentration"),
	}
	return Section{Title: b.l.T(titleMethod), Blocks: []Block{{Text: strings.Join(lines, "\n")}}}
}

// retentionMethod says how retention was fitted: observation start and groups.
func (b *builder) retentionMethod() string {
	l := b.l
	if !b.base.HasSubscribers() {
		return l.T("method.retention.none")
	}
	t := b.base.Truncation()
	start := l.T("method.retention.complete")
	switch {
	case t.From != dataset.NoDay && t.Detected:
		start = l.T("method.retention.detected", t.From, b.evidence(t.Evidence), b.count(t.ActivatedBefore))
	case t.From != dataset.NoDay:
		start = l.T("method.retention.given", t.From, b.count(t.ActivatedBefore))
	}
	ret, err := b.base.Retention()
	if err != nil {
		return l.T("method.retention.error", start, err.Error())
	}
	groups := l.T("method.retention.pool")
	if ret.By != "" {
		var names, pooled []string
		for i := range ret.Groups {
			names = append(names, ret.Groups[i].Name)
			if ret.Groups[i].Pooled {
				pooled = append(pooled, ret.Groups[i].Name)
			}
		}
		groups = l.T("method.retention.by", b.attr(ret.By), strings.Join(names, l.T("list.sep")), ret.MinGroup)
		if len(pooled) > 0 {
			groups += l.T("method.retention.here", strings.Join(pooled, l.T("list.sep")))
		} else {
			groups += l.T("method.retention.herenone")
		}
	}
	return l.T("method.retention", b.units(ret.Period.String()), start, groups, b.unit(ret.Period.String()))
}

// valueDetail says what the headline value is, with its interval when asked
// for and available (the sBG value model).
func (b *builder) valueDetail() string {
	kind := b.valueKind()
	if b.opt.Interval <= 0 || b.segs.Model != "sbg" {
		return kind
	}
	lo, hi, err := b.base.ValueInterval(b.opt.Interval, 500, 1)
	if err != nil {
		return kind
	}
	// The interval is of the subscribers' values; customers missing from
	// the export add their fixed run-rate value.
	v, verr := b.base.SubscriberValues()
	if verr != nil {
		return kind
	}
	extra := b.segs.BaseValue - v.Total
	return b.l.T("sum.fig.value.interval", kind, FormatFloat(100*b.opt.Interval, 0), b.money(lo+extra), b.money(hi+extra))
}

// ofTotal finds the total of "N of TOTAL subscribers" in a finding.
var ofTotal = regexp.MustCompile(`^\d+ of (\d+) `)

// findingText is a finding's message: as written (English), or in another
// language the catalog's sentence for its kind with the message's examples.
func (b *builder) findingText(f dataset.Finding) string {
	if !b.l.Chinese() || !b.l.Has("findingtext."+f.Kind) {
		return f.Message
	}
	total := ""
	if m := ofTotal.FindStringSubmatch(f.Message); m != nil {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		total = b.count64(n)
	}
	text := b.l.T("findingtext."+f.Kind, b.count64(f.Count), total)
	if i := strings.Index(f.Message, "e.g. "); i >= 0 {
		ex := strings.TrimSuffix(strings.TrimPrefix(f.Message[i+len("e.g. "):], "customer "), ")")
		text += b.l.T("findingtext.examples", ex)
	}
	return text
}
