package report

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

func pct(v float64) string { return FormatPercent(v) }

func money(v float64) string {
	if math.Abs(v) >= 100 {
		return FormatFloat(v, 0)
	}
	return FormatFloat(v, 2)
}

func count(n int) string { return FormatInt(int64(n)) }

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
	figs := []Figure{
		{Label: "subscribers", Value: count(r.Len()), Detail: fmt.Sprintf("%s active, %s churned", count(active), count(stages[segment.Churned]))},
		{Label: "revenue in the window", Value: money(v.Revenue), Detail: first + " to " + last},
		{Label: "future value of the base", Value: money(b.segs.BaseValue), Detail: b.valueDetail()},
		{Label: "revenue held by the top 20%", Value: pct(v.Concentration.TopShare[2]), Detail: fmt.Sprintf("Gini %.2f", v.Concentration.Gini)},
		{Label: "on the early-warning list", Value: count(warnCount), Detail: "value at risk " + money(atRisk)},
	}
	sec := Section{Title: titleSummary, Blocks: []Block{{Figures: figs}}}
	var lines []string
	var recorded int
	for i := range r.IDs {
		if r.Stage[i] == segment.Churned && r.TenurePeriods[i] >= 0 && b.segs.Churn != nil && b.segs.Churn[i] != dataset.NoDay && b.segs.Churn[i] <= r.AsOf {
			recorded++
		}
	}
	lines = append(lines, fmt.Sprintf("- **Lifecycle:** %s in acquisition, %s growing, %s mature, %s in decline, %s churned (%s of the base: %s with a churn date, %s lapsed without buying for %d %ss).",
		count(stages[segment.Acquisition]), count(stages[segment.Growth]), count(stages[segment.Maturity]),
		count(stages[segment.Decline]), count(stages[segment.Churned]), pct(float64(stages[segment.Churned])/float64(r.Len())),
		count(recorded), count(stages[segment.Churned]-recorded), b.segs.Options.Rules.LapsePeriods, r.Period))
	if line := b.kpiLine(); line != "" {
		lines = append(lines, line)
	}
	lines = append(lines, fmt.Sprintf("- **Concentration:** the top 1%% of subscribers bring %s of revenue and the top 20%% bring %s; %s key accounts carry %s.",
		pct(v.Concentration.TopShare[0]), pct(v.Concentration.TopShare[2]), count(v.Key.Accounts), pct(v.Key.RevenueShare)))
	if len(v.Warning) > 0 {
		w := v.Warning[0]
		lines = append(lines, fmt.Sprintf("- **Call first:** %s subscribers are in decline or at high risk, with %s of value at risk; the list in %s starts with %s (%s, %s at risk).",
			count(warnCount), money(atRisk), b.ref(titleWarning), w.ID, w.Tier, money(w.ValueAtRisk)))
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
		adjective := map[string]string{"acquisition": "new", "growth": "growing", "maturity": "mature", "decline": "declining"}[m.Stage]
		lines = append(lines, fmt.Sprintf("- **Protect the core:** the largest future value sits with the %s %s %s subscribers (total %s): %s.",
			count(m.Subscribers), adjective, m.Tier, money(m.TotalCLV), m.Action))
	}
	sec.Blocks = append(sec.Blocks, Block{Text: strings.Join(lines, "\n")})
	return sec
}

func (b *builder) valueKind() string {
	switch b.segs.Model {
	case "sbg":
		return "sBG residual lifetime value"
	case "bgnbd":
		return "BG/NBD × Gamma-Gamma"
	}
	return fmt.Sprintf("run-rate, %g %ss", b.segs.Options.Horizon, b.segs.Period)
}

// qualitySection: what was read and what was left out.
func (b *builder) qualitySection() Section {
	sec := Section{Title: titleQuality}
	l := b.opt
	n := len(l.Stats)
	file, kind := make([]string, n), make([]string, n)
	rows, acc, rej, dup := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for k, st := range l.Stats {
		kind[k], file[k] = "transactions", l.Transactions
		if k == 0 && n == 2 {
			kind[k], file[k] = "subscribers", l.Subscribers
		}
		file[k] = filepath.Base(file[k])
		if file[k] == "-" {
			file[k] = "(stdin)"
		}
		rows[k], acc[k], rej[k], dup[k] = st.Rows, st.Accepted, st.Rejected, st.Duplicates
	}
	sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: "Files read", Columns: []render.Column{
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
		fmt.Sprintf("- Transactions from **%s** to **%s**; the analysis uses everything up to the as-of day **%s**%s.", first, last, b.segs.Summary.AsOf, excludedText(b.segs.Summary.Excluded)),
	}
	var activatedAfter int
	if subs == nil {
		items = append(items, fmt.Sprintf("- %s customers; no subscriber export was given, so there are no activation or churn dates: tenure starts at the first purchase and churn is inferred from lapses only.", count(len(tx.IDs))))
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
			fmt.Sprintf("- %s subscribers in the subscriber export, %s of them with a churn date on or before the as-of day.", count(subs.Len()), count(churnedRecorded)),
			fmt.Sprintf("- %s customers have transactions; %s subscribers have none in the data; %s transacting customers are missing from the subscriber export (analysed without activation or churn date).", count(len(tx.IDs)-silent), count(silent), count(unknown)))
	}
	items = append(items, fmt.Sprintf("- %s transaction rows have a negative amount (refunds) and %s a zero amount; both are kept in the sums.", FormatInt(negative), FormatInt(zero)))
	if activatedAfter > 0 {
		items = append(items, fmt.Sprintf("- %s subscribers were activated after the as-of day and are left out.", count(activatedAfter)))
	}
	var rejected int64
	for _, st := range l.Stats {
		rejected += st.Rejected
	}
	if rejected > 0 {
		items = append(items, fmt.Sprintf("- %s rows were rejected; run with --rejects FILE to see them with the reason.", FormatInt(rejected)))
	}
	if t := b.base.Truncation(); t.From != dataset.NoDay {
		how := "given with --observed-from"
		if t.Detected {
			how = "detected: " + t.Evidence + " and no churn before it"
		}
		items = append(items, fmt.Sprintf("- **Left-truncated export:** observation start %s (%s). %s subscribers were activated before it; those who churned before it are not in the export, so retention and the operating view start there (see %s and %s).",
			t.From, how, count(t.ActivatedBefore), b.ref(titleKPI), b.ref(titleRetention)))
	}
	if len(b.opt.Findings) == 0 {
		items = append(items, "- No doubtful data found: subscriber and transaction ids overlap, no transaction before its subscriber's activation or after the churn date, no date far from the others, no control character in an id.")
	}
	for _, f := range b.opt.Findings {
		items = append(items, fmt.Sprintf("- **Warning (%s, %s):** %s", strings.ReplaceAll(f.Kind, "_", " "), FormatInt(f.Count), f.Message))
	}
	sec.Blocks = append(sec.Blocks, Block{Text: strings.Join(items, "\n")})
	return sec
}

func excludedText(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s later rows left out)", FormatInt(n))
}

// rfmSection scores the customers with transactions on R, F, M.
func vipList(v []float64) string {
	if len(v) == 0 {
		return "none"
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("VIP %d ≥ %s", i+1, money(x))
	}
	return strings.Join(parts, ", ")
}

func (b *builder) riskNote() string {
	return strings.ToUpper(b.segs.RiskDescription[:1]) + b.segs.RiskDescription[1:] + "."
}

// methodSection: rules and settings, so the numbers can be reproduced.
func (b *builder) methodSection(life string) Section {
	r := b.segs.Options.Rules
	p := b.segs.Period
	lines := []string{
		fmt.Sprintf("- **Periods:** calendar %ss; as of %s (inclusive). Current value = revenue ÷ tenure inside the window, in %ss of mean length.", p, b.segs.AsOf, p),
		fmt.Sprintf("- **Spend trend:** least-squares slope of spend per %s over the last %d complete %ss, divided by the mean spend over them.", p, r.TrendWindow, p),
		fmt.Sprintf("- **Stages** (first match wins): churned = churn date, or %d+ whole %ss without purchase; acquisition = tenure ≤ %d %ss; decline = trend ≤ %.2f or %d+ whole %s(s) without purchase; growth = trend ≥ %.2f; maturity otherwise.",
			r.LapsePeriods, p, r.AcquisitionPeriods, p, r.DeclineSlope, r.DeclineRecency, p, r.GrowthSlope),
		fmt.Sprintf("- **Future value (clv):** %s.", b.segs.Description),
		b.retentionMethod(),
		fmt.Sprintf("- **Value tiers:** %d quantile groups of clv among active subscribers (%s).", len(b.segs.Tiers), strings.Join(b.segs.Tiers, ", ")),
		fmt.Sprintf("- **Key accounts:** smallest set of subscribers by revenue reaching %s of revenue; VIP levels on mean revenue per month: %s.", pct(b.segs.Options.KeyShare), vipList(b.segs.Options.VIP)),
		fmt.Sprintf("- **Stars:** 1 + ⌊5 × score⌋ (at most 5), score = weighted mean of spend rank (weight %g), tenure rank (%g), share of %ss with a purchase (%g) and recent activity (%g).", b.segs.Options.Stars.Spend, b.segs.Options.Stars.Loyalty, p, b.segs.Options.Stars.Regularity, b.segs.Options.Stars.Activity),
		fmt.Sprintf("- **RFM:** %d levels with cut points at the type-7 sample quantiles of each metric (customers with equal values share a score; `clv rfm --method quantile`); recency in days, frequency = transactions, monetary = total spend.", b.opt.RFMBins),
		fmt.Sprintf("- **Lifecycle chain:** %s.", life),
		"- **Concentration:** Gini = 1 − Σ (Lᵢ + Lᵢ₋₁)/n over subscribers sorted by revenue; top-k% share = revenue of the ⌈k% × n⌉ largest.",
	}
	return Section{Title: titleMethod, Blocks: []Block{{Text: strings.Join(lines, "\n")}}}
}

// retentionMethod says how retention was fitted: observation start and groups.
func (b *builder) retentionMethod() string {
	if !b.base.HasSubscribers() {
		return "- **Retention:** no subscriber export, no retention model."
	}
	t := b.base.Truncation()
	start := "the export is taken as complete (every subscriber ever activated)"
	switch {
	case t.From != dataset.NoDay && t.Detected:
		start = fmt.Sprintf("observation start %s, detected (%s, no churn before it); %s subscribers activated earlier enter at their tenure on that day (left truncation; `--observed-from` sets or turns this off)", t.From, t.Evidence, count(t.ActivatedBefore))
	case t.From != dataset.NoDay:
		start = fmt.Sprintf("observation start %s (--observed-from); %s subscribers activated earlier enter at their tenure on that day (left truncation)", t.From, count(t.ActivatedBefore))
	}
	ret, err := b.base.Retention()
	if err != nil {
		return "- **Retention:** " + start + "; " + err.Error() + "."
	}
	groups := "one sBG fit of the whole base"
	if ret.By != "" {
		var names, pooled []string
		for i := range ret.Groups {
			names = append(names, ret.Groups[i].Name)
			if ret.Groups[i].Pooled {
				pooled = append(pooled, ret.Groups[i].Name)
			}
		}
		groups = fmt.Sprintf("one sBG fit per %s (%s); groups under %d subscribers or without a fit use the pooled fit of the whole base", ret.By, strings.Join(names, ", "), ret.MinGroup)
		if len(pooled) > 0 {
			groups += " (here: " + strings.Join(pooled, ", ") + ")"
		} else {
			groups += " (here: none)"
		}
	}
	return fmt.Sprintf("- **Retention:** tenure in %ss from activation; %s; %s.", ret.Period, start, groups)
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
	return fmt.Sprintf("%s; %s%% interval %s – %s", kind, FormatFloat(100*b.opt.Interval, 0), money(lo+extra), money(hi+extra))
}
