package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/io/report"
	"github.com/clvkit/clv/rfm"
	"github.com/clvkit/clv/segment"
	"github.com/clvkit/clv/segment/lifecycle"
)

func init() { register(newReportCmd) }

const reportLong = `Run the whole pipeline and write one report for a CRM analyst:

  1. summary          key figures and what to do first
  2. data quality     rows read and rejected per file, date range, customers, subscribers
  3. RFM segments     recency/frequency/monetary scores (5 bins, ntile) and named segments
  4. retention        actuarial life table of contract tenure and the shifted-beta-
                      geometric (sBG) fit, with survival and retention-rate charts
  5. repeat buying    BG/NBD fit of repeat transactions (and Gamma-Gamma spend when it
                      exists): P(alive) per lifecycle stage, expected transactions
  6. lifecycle        Markov chain of the lifecycle stages: transition heat map, stage
                      mix forecast, expected periods to churn
  7. value            value tiers, key accounts, VIP levels, revenue concentration with
                      a Lorenz chart, profile by customer type
  8. stage x value    subscribers per lifecycle stage and value tier, and the action
                      for each cell (examples/actions.csv, or --actions FILE)
  9. early warning    the subscribers a retention team should call first
 10. method           rules, formulas and settings used

Future value (clv) is the sBG residual lifetime value by default (--value-model auto);
see clv segment --help.

Give the inputs with -t/-s, or a folder holding transactions.* and subscribers.*
(.csv, .tsv, .csv.gz or .parquet). The format is HTML (self-contained: charts are
inline SVG, no scripts, no network) when -o ends in .html or .htm or with --format
html, and Markdown otherwise (charts are left out of Markdown; their numbers are in
the tables). The report is byte-identical on rerun; --stamp adds the creation time.
Progress goes to stderr, one line per stage. The segment flags (--tiers, --key-share,
--vip, --actions, stage thresholds, ...) are those of clv segment.`

// reportFlags are the options of clv report only.
type reportFlags struct {
	stamp    bool
	rfmBins  int
	forecast int
}

func newReportCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var sf segmentFlags
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   "report [DIR] [-t TRANSACTIONS [-s SUBSCRIBERS]] -o report.html|report.md",
		Short: "The whole pipeline in one run: data quality, RFM, lifecycle, value, actions, early warning (HTML or Markdown)",
		Long:  reportLong,
		Example: "  clv report examples/telecom -o report.html\n" +
			"  clv report -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv -o report.md",
		Args: cobra.MaximumNArgs(1),
		// The report has its own formats (html, markdown); it replaces the
		// root's check of --format.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			_, err := a.reportFormat()
			return err
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if in.transactions != "" || in.subscribers != "" {
					return usagef("give either a folder or -t/-s, not both")
				}
				t, s, err := reportInputs(args[0])
				if err != nil {
					return err
				}
				in.transactions, in.subscribers = t, s
			}
			if rf.rfmBins < 2 || rf.rfmBins > 9 {
				return usagef("--rfm-bins %d: want 2 to 9", rf.rfmBins)
			}
			if rf.forecast < 1 || rf.forecast > 120 {
				return usagef("--forecast %d: want 1 to 120 periods", rf.forecast)
			}
			format, err := a.reportFormat()
			if err != nil {
				return err
			}
			rep, err := a.buildReport(&in, &tf, &sf, &rf)
			if err != nil {
				return err
			}
			return a.writeReport(rep, format)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, 0.01, "--period, on future value")
	addSegmentFlags(cmd, &sf)
	cmd.Flags().BoolVar(&rf.stamp, "stamp", false, "add the creation time to the report (it is then no longer byte-identical on rerun)")
	cmd.Flags().IntVar(&rf.rfmBins, "rfm-bins", 5, "RFM score levels (2..9)")
	cmd.Flags().IntVar(&rf.forecast, "forecast", 12, "--period periods of the lifecycle stage-mix forecast (clv markov calls it --horizon)")
	return cmd
}

// reportFormat resolves the report format: --format html|markdown, else the
// -o extension, else markdown.
func (a *app) reportFormat() (string, error) {
	switch strings.ToLower(a.global.format) {
	case "html", "htm":
		return "html", nil
	case "markdown", "md":
		return "markdown", nil
	case "":
	default:
		return "", usagef("--format %q: clv report writes html or markdown", a.global.format)
	}
	switch strings.ToLower(filepath.Ext(a.global.output)) {
	case ".html", ".htm":
		return "html", nil
	}
	return "markdown", nil
}

// findInputs finds transactions.* and subscribers.* in dir.
func reportInputs(dir string) (tx, subs string, err error) {
	st, err := os.Stat(dir)
	if err != nil {
		return "", "", usagef("report folder: %v", err)
	}
	if !st.IsDir() {
		return "", "", usagef("%s is not a folder (give a folder holding transactions.* and subscribers.*, or use -t/-s)", dir)
	}
	find := func(base string) (string, error) {
		var found []string
		for _, ext := range []string{".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".parquet", ""} {
			p := filepath.Join(dir, base+ext)
			if fi, err := os.Stat(p); err == nil && (ext != "" || fi.IsDir()) {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 0:
			return "", usagef("no %s.csv, .tsv, .gz or .parquet in %s", base, dir)
		case 1:
			return found[0], nil
		}
		return "", usagef("several %s files in %s (%s); pick one with -t/-s", base, dir, strings.Join(found, ", "))
	}
	if tx, err = find("transactions"); err != nil {
		return "", "", err
	}
	// The subscriber export is optional (a non-contractual business has none).
	if subs, err = find("subscribers"); err != nil && !strings.Contains(err.Error(), "no subscribers") {
		return "", "", err
	}
	return tx, subs, nil
}

// writeReport writes the report to -o (atomically) or stdout.
func (a *app) writeReport(rep *report.Report, format string) error {
	write := func(w io.Writer) error {
		if format == "html" {
			return report.WriteHTML(w, rep)
		}
		return report.WriteMarkdown(w, rep)
	}
	if a.global.output == "" || a.global.output == "-" {
		return write(a.out)
	}
	if err := a.writeAtomic(a.global.output, write); err != nil {
		return err
	}
	a.notef("wrote %s", a.global.output)
	return nil
}

// reportClock prints one progress line per report stage on stderr as the
// stage starts, and the time per stage at the end.
type reportClock struct {
	a      *app
	n, of  int
	start  time.Time
	last   time.Time
	timing []string
	names  []string
}

func (c *reportClock) next(what string) {
	c.lap()
	c.n++
	c.names = append(c.names, what)
	c.a.notef("report: [%d/%d] %s", c.n, c.of, what)
}

func (c *reportClock) lap() {
	now := time.Now()
	if c.n > 0 {
		c.timing = append(c.timing, fmt.Sprintf("%s %.2fs", c.names[c.n-1], now.Sub(c.last).Seconds()))
	}
	c.last = now
}

func (c *reportClock) done() {
	c.lap()
	c.a.notef("report: done in %.2fs (%s)", time.Since(c.start).Seconds(), strings.Join(c.timing, "; "))
}

// buildReport runs the pipeline.
func (a *app) buildReport(in *inputFlags, tf *timeFlags, sf *segmentFlags, rf *reportFlags) (*report.Report, error) {
	if in.transactions == "" {
		return nil, usagef("missing --transactions FILE (or give a folder)")
	}

	clock := &reportClock{a: a, of: 7, start: time.Now(), last: time.Now()}
	clock.next("reading data")
	l, err := a.load(in, true, false)
	if err != nil {
		return nil, err
	}
	clock.next("summary, panel and segments")
	run, err := a.runSegment(in, tf, sf, l)
	if err != nil {
		return nil, err
	}
	r := run.res
	a.notef("value: %s", run.valueBy)
	v := run.views(sf.top)
	rep := &report.Report{
		Title: "Customer value report",
		Subtitle: fmt.Sprintf("%s · as of **%s** · %s customers · periods: %s",
			reportInputNames(in), r.AsOf, reportCount(r.Len()), r.Period),
	}
	overview := report.Section{Title: "Summary"}
	rep.Sections = append(rep.Sections, overview)

	clock.next("data quality")
	rep.Sections = append(rep.Sections, a.qualitySection(run, in))
	if err := a.ctx.Err(); err != nil {
		return nil, err
	}

	clock.next("RFM segments")
	sec, err := rfmSection(run, rf.rfmBins)
	if err != nil {
		return nil, err
	}
	rep.Sections = append(rep.Sections, sec)

	clock.next("retention, BG/NBD and Markov lifecycle")
	rep.Sections = append(rep.Sections, retentionSection(run, tf), repeatSection(run, sf, tf))
	life, lifeNote := lifecycleSection(run, rf.forecast)
	rep.Sections = append(rep.Sections, life)
	if err := a.ctx.Err(); err != nil {
		return nil, err
	}

	clock.next("value, concentration and actions")
	vs, err := valueSection(run, v)
	if err != nil {
		return nil, err
	}
	rep.Sections = append(rep.Sections, vs, matrixSection(run, v))

	clock.next("early warning and method")
	rep.Sections = append(rep.Sections, warningSection(run, v, sf.top), methodSection(run, sf, rf, lifeNote))
	rep.Sections[0] = overviewSection(run, v, sf.top)
	rep.Footer = "Made with clv report. Same input and flags give a byte-identical report."
	if rf.stamp {
		rep.Footer = fmt.Sprintf("Made with clv report on %s.", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	}
	clock.done()
	return rep, nil
}

func reportPct(v float64) string { return report.FormatPercent(v) }

func reportMoney(v float64) string {
	if math.Abs(v) >= 100 {
		return report.FormatFloat(v, 0)
	}
	return report.FormatFloat(v, 2)
}

func reportCount(n int) string { return report.FormatInt(int64(n)) }

// overviewSection: key figures and the first things to do.
func overviewSection(run *segmentRun, v *segViews, top int) report.Section {
	r := run.res
	var revenue, atRisk, activeCLV float64
	var warnCount int
	stages := v.stages
	for i := range r.IDs {
		revenue += r.Revenue[i]
		if r.Stage[i] != segment.Churned {
			activeCLV += r.CLV[i]
		}
	}
	all := r.EarlyWarning(run.opt.RiskThreshold, 0)
	warnCount = len(all)
	for _, i := range all {
		atRisk += r.ValueAtRisk[i]
	}
	active := r.Len() - stages[segment.Churned]
	first, last := run.panel.Label(0), run.panel.Label(run.panel.Periods-1)
	figs := []report.Figure{
		{Label: "subscribers", Value: reportCount(r.Len()), Detail: fmt.Sprintf("%s active, %s churned", reportCount(active), reportCount(stages[segment.Churned]))},
		{Label: "revenue in the window", Value: reportMoney(revenue), Detail: first + " to " + last},
		{Label: "future value of active subscribers", Value: reportMoney(activeCLV), Detail: reportValueKind(run)},
		{Label: "revenue held by the top 20%", Value: reportPct(v.conc.TopShare[2]), Detail: fmt.Sprintf("Gini %.2f", v.conc.Gini)},
		{Label: "on the early-warning list", Value: reportCount(warnCount), Detail: "value at risk " + reportMoney(atRisk)},
	}
	sec := report.Section{Title: "Summary", Blocks: []report.Block{{Figures: figs}}}
	var lines []string
	var recorded int
	for i := range r.IDs {
		if r.Stage[i] == segment.Churned && r.TenurePeriods[i] >= 0 && run.churn != nil && run.churn[i] != dataset.NoDay && run.churn[i] <= r.AsOf {
			recorded++
		}
	}
	lines = append(lines, fmt.Sprintf("- **Lifecycle:** %s in acquisition, %s growing, %s mature, %s in decline, %s churned (%s of the base: %s with a churn date, %s lapsed without buying for %d %ss).",
		reportCount(stages[segment.Acquisition]), reportCount(stages[segment.Growth]), reportCount(stages[segment.Maturity]),
		reportCount(stages[segment.Decline]), reportCount(stages[segment.Churned]), reportPct(float64(stages[segment.Churned])/float64(r.Len())),
		reportCount(recorded), reportCount(stages[segment.Churned]-recorded), run.opt.Rules.LapsePeriods, r.Period))
	lines = append(lines, fmt.Sprintf("- **Concentration:** the top 1%% of subscribers bring %s of revenue and the top 20%% bring %s; %s key accounts carry %s.",
		reportPct(v.conc.TopShare[0]), reportPct(v.conc.TopShare[2]), reportCount(v.key.Accounts), reportPct(v.key.RevenueShare)))
	if len(v.warning) > 0 {
		w := v.warning[0]
		lines = append(lines, fmt.Sprintf("- **Call first:** %s subscribers are in decline or at high risk, with %s of value at risk; the list in section 7 starts with %s (%s, %s at risk).",
			reportCount(warnCount), reportMoney(atRisk), w.ID, w.Tier, reportMoney(w.ValueAtRisk)))
	}
	// Biggest living cell by total CLV and its action.
	best := -1
	for k, m := range v.matrix {
		if m.Stage == "churned" {
			continue
		}
		if best < 0 || m.TotalCLV > v.matrix[best].TotalCLV {
			best = k
		}
	}
	if best >= 0 && v.matrix[best].Subscribers > 0 {
		m := v.matrix[best]
		adjective := map[string]string{"acquisition": "new", "growth": "growing", "maturity": "mature", "decline": "declining"}[m.Stage]
		lines = append(lines, fmt.Sprintf("- **Protect the core:** the largest future value sits with the %s %s %s subscribers (total %s): %s.",
			reportCount(m.Subscribers), adjective, m.Tier, reportMoney(m.TotalCLV), m.Action))
	}
	sec.Blocks = append(sec.Blocks, report.Block{Text: strings.Join(lines, "\n")})
	return sec
}

func reportInputNames(in *inputFlags) string {
	if in.subscribers == "" {
		return filepath.Base(in.transactions)
	}
	return filepath.Base(in.transactions) + " + " + filepath.Base(in.subscribers)
}

func reportValueKind(run *segmentRun) string {
	switch run.model {
	case "sbg":
		return "sBG residual lifetime value"
	case "bgnbd":
		return "BG/NBD × Gamma-Gamma"
	}
	return fmt.Sprintf("run-rate, %g %ss", run.opt.Horizon, run.res.Period)
}

// qualitySection: what was read and what was left out.
func (a *app) qualitySection(run *segmentRun, in *inputFlags) report.Section {
	l := run.l
	sec := report.Section{Title: "Data quality"}
	n := len(l.stats)
	file, kind := make([]string, n), make([]string, n)
	rows, acc, rej, dup := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for k, st := range l.stats {
		kind[k], file[k] = "transactions", in.transactions
		if k == 0 && n == 2 {
			kind[k], file[k] = "subscribers", in.subscribers
		}
		file[k] = filepath.Base(file[k])
		if file[k] == "-" {
			file[k] = "(stdin)"
		}
		rows[k], acc[k], rej[k], dup[k] = st.Rows, st.Accepted, st.Rejected, st.Duplicates
	}
	sec.Blocks = append(sec.Blocks, report.Block{Table: &render.Table{Title: "Files read", Columns: []render.Column{
		render.Strings("file", file), render.Strings("content", kind), render.Ints("rows", rows),
		render.Ints("accepted", acc), render.Ints("rejected", rej), render.Ints("duplicates_dropped", dup),
	}}})
	tx := l.tx
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
		fmt.Sprintf("- Transactions from **%s** to **%s**; the analysis uses everything up to the as-of day **%s**%s.", first, last, run.sum.AsOf, reportExcluded(run.sum.Excluded)),
	}
	var activatedAfter int
	if l.subs == nil {
		items = append(items, fmt.Sprintf("- %s customers; no subscriber export was given, so there are no activation or churn dates: tenure starts at the first purchase and churn is inferred from lapses only.", reportCount(len(tx.IDs))))
	} else {
		withTx := make([]bool, len(tx.IDs))
		for _, c := range tx.Customer {
			withTx[c] = true
		}
		var unknown, silent int
		for c, has := range withTx {
			if has && l.subOf[c] < 0 {
				unknown++
			}
			if !has && l.subOf[c] >= 0 {
				silent++
			}
		}
		var churnedRecorded int
		for r := range l.subs.ID {
			if l.subs.Churn[r] != dataset.NoDay && l.subs.Churn[r] <= run.sum.AsOf {
				churnedRecorded++
			}
			if l.subs.Activation[r] != dataset.NoDay && l.subs.Activation[r] > run.sum.AsOf {
				activatedAfter++
			}
		}
		items = append(items,
			fmt.Sprintf("- %s subscribers in the subscriber export, %s of them with a churn date on or before the as-of day.", reportCount(l.subs.Len()), reportCount(churnedRecorded)),
			fmt.Sprintf("- %s customers have transactions; %s subscribers have none in the data; %s transacting customers are missing from the subscriber export (analysed without activation or churn date).", reportCount(len(tx.IDs)-silent), reportCount(silent), reportCount(unknown)))
	}
	items = append(items, fmt.Sprintf("- %s transaction rows have a negative amount (refunds) and %s a zero amount; both are kept in the sums.", report.FormatInt(negative), report.FormatInt(zero)))
	if activatedAfter > 0 {
		items = append(items, fmt.Sprintf("- %s subscribers were activated after the as-of day and are left out.", reportCount(activatedAfter)))
	}
	var rejected int64
	for _, st := range l.stats {
		rejected += st.Rejected
	}
	if rejected > 0 {
		items = append(items, fmt.Sprintf("- %s rows were rejected; run with --rejects FILE to see them with the reason.", report.FormatInt(rejected)))
	}
	sec.Blocks = append(sec.Blocks, report.Block{Text: strings.Join(items, "\n")})
	return sec
}

func reportExcluded(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s later rows left out)", report.FormatInt(n))
}

// rfmSection scores the customers with transactions on R, F, M.
func rfmSection(run *segmentRun, bins int) (report.Section, error) {
	s := run.sum
	sec := report.Section{Title: "RFM segments"}
	m := &rfm.Metrics{IDs: s.IDs, Recency: s.Recency, Frequency: s.Transactions, Monetary: s.Total, Revenue: s.Total}
	sc, err := rfm.Score(m, rfm.Options{Method: rfm.Ntile, Bins: bins})
	if err != nil {
		if errors.Is(err, rfm.ErrEmpty) {
			sec.Blocks = append(sec.Blocks, report.Block{Note: "No customer has a transaction in the window; RFM scores need purchases."})
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
		name = append(name, x.Name)
		cust = append(cust, int64(x.Customers))
		cshare = append(cshare, x.CustomerShare)
		rshare = append(rshare, x.RevenueShare)
		rec = append(rec, x.MeanRecency)
		frq = append(frq, x.MeanFrequency)
		mon = append(mon, x.MeanMonetary)
	}
	sec.Blocks = append(sec.Blocks,
		report.Paragraph("Every customer with a purchase is scored 1–%d on recency (days since the last purchase, fewer is better), frequency (transactions) and monetary value (total spend), in equal-count bins; named segments follow the usual R×F grid. %s customers without a purchase in the window score 1 everywhere.", bins, reportCount(rr.Customers-rr.Active)),
		report.Block{Table: &render.Table{Title: "RFM segments by revenue", Columns: []render.Column{
			render.Strings("segment", name), render.Ints("customers", cust), render.Floats("customer_share", cshare),
			render.Floats("revenue_share", rshare), segDigitsCol(render.Floats("mean_recency_days", rec), 0),
			segDigitsCol(render.Floats("mean_transactions", frq), 1), segDigitsCol(render.Floats("mean_total_spend", mon), 2),
		}}},
	)
	return sec, nil
}

func segDigitsCol(c render.Column, d int) render.Column {
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

// retentionSection shows the life table and the sBG fit.
func retentionSection(run *segmentRun, tf *timeFlags) report.Section {
	sec := report.Section{Title: "Retention: life table and sBG model"}
	if run.l.subs == nil {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "No subscriber export (-s) was given: contract tenure and churn dates are unknown, so there is no life table or sBG fit. Future value is the run-rate value, or BG/NBD with --value-model bgnbd. Without churn dates, customers count as churned after --lapse-periods empty periods; for occasional buyers raise it (e.g. --lapse-periods 6 --decline-recency 3)."})
		return sec
	}
	ret := run.retention
	if ret == nil {
		ret = fitRetention(run.l, run.sum.AsOf, run.panel.Period)
	}
	p := ret.period
	if len(ret.life) == 0 {
		msg := "No subscriber has a tenure at the as-of day; the life table is empty."
		if ret.err != nil {
			msg = "The life table could not be built: " + ret.err.Error()
		}
		sec.Blocks = append(sec.Blocks, report.Block{Note: msg})
		return sec
	}
	sec.Blocks = append(sec.Blocks, report.Paragraph(
		"Tenure is counted in %ss from each subscriber's activation day; a subscriber with a churn date on or before the as-of day is lost in the tenure %s that contains it, the others are still active (censored) in the %s they have reached. The life table gives the share retained per tenure %s (actuarial: censored subscribers count for the part of the %s observed). The shifted-beta-geometric model (Fader & Hardie 2007) assumes every subscriber has a constant churn probability per %s, spread across subscribers as a beta(α, β) distribution; retention then rises with tenure because the likely churners leave first.",
		p, p, p, p, p, p))
	life := ret.life
	n := len(life)
	var fit *retention.SBG
	if ret.fit != nil {
		fit = &ret.fit.SBG
		f := ret.fit
		figs := []report.Figure{
			{Label: "sBG alpha", Value: fmt.Sprintf("%.3f", f.Alpha), Detail: fmt.Sprintf("standard error %.3f", f.AlphaSE)},
			{Label: "sBG beta", Value: fmt.Sprintf("%.2f", f.Beta), Detail: fmt.Sprintf("standard error %.2f", f.BetaSE)},
			{Label: fmt.Sprintf("renewal after the first %s", p), Value: reportPct(f.Retention(1)), Detail: fmt.Sprintf("life table: %s", reportPct(life[0].Retention))},
			{Label: fmt.Sprintf("mean churn probability per %s", p), Value: reportPct(f.Alpha / (f.Alpha + f.Beta)), Detail: "α / (α + β) of a new subscriber"},
		}
		if del, err := f.DEL(tf.discount); err == nil {
			figs = append(figs, report.Figure{Label: "discounted expected lifetime of a new subscriber", Value: report.FormatFloat(del, 1) + " " + p.String() + "s", Detail: fmt.Sprintf("at %g%% per %s", 100*tf.discount, p)})
		}
		sec.Blocks = append(sec.Blocks, report.Block{Figures: figs})
	} else {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "The sBG model could not be fitted: " + ret.err.Error()})
	}
	// Charts: survival and retention rate, life table against the model.
	// The rate chart stops where fewer than minAtRisk subscribers are at
	// risk: beyond, one churn more or less swings the rate by a percent.
	const minAtRisk = 50
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
	sc := &report.LineChart{Title: "Share of subscribers still active by tenure", XLabel: "tenure (" + p.String() + "s)", YLabel: "survival", YPercent: true, YMin: 0, YMax: 1,
		LegendLeft: true, LegendBottom: true, Series: []report.Series{{Name: "life table", X: t0, Y: surv, Points: n <= 40}}}
	rc := &report.LineChart{Title: "Renewal rate by tenure", XLabel: "tenure (" + p.String() + "s)", YLabel: "retention rate", YPercent: true,
		LegendBottom: true, Series: []report.Series{{Name: "life table", X: rt, Y: retn, Points: len(rt) <= 40}}}
	if fit != nil {
		ms := make([]float64, n+1)
		ms[0] = 1
		for k, pr := range fit.Project(n) {
			ms[k+1] = pr.Survival
		}
		mr := make([]float64, len(rt))
		for k, x := range rt {
			mr[k] = fit.Retention(int(x))
			lo, hi = math.Min(lo, mr[k]), math.Max(hi, mr[k])
		}
		sc.Series = append(sc.Series, report.Series{Name: "sBG model", X: t0, Y: ms})
		rc.Series = append(rc.Series, report.Series{Name: "sBG model", X: rt, Y: mr})
	}
	// Leave room under the lines for the legend.
	if hi > lo {
		rc.YMin, rc.YMax = lo-0.45*(hi-lo), math.Min(1, hi+0.05*(hi-lo))
	}
	if svg, err := sc.SVG(); err == nil {
		sec.Blocks = append(sec.Blocks, report.Block{Chart: &report.Chart{Caption: "Retention curve: observed (life table) and fitted (sBG)", Alt: "survival curve by tenure", SVG: svg}})
	}
	if len(rt) > 1 {
		if svg, err := rc.SVG(); err == nil {
			sec.Blocks = append(sec.Blocks, report.Block{Chart: &report.Chart{Caption: fmt.Sprintf("Share of subscribers renewing after each tenure %s (tenures with at least %d subscribers at risk)", p, minAtRisk), Alt: "retention rate by tenure", SVG: svg}})
		}
	}
	// Life table: the first 12 periods, then every 6th, and the last.
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
	cols := []render.Column{render.Ints("tenure_"+p.String(), per), segDigitsCol(render.Floats("at_risk", atRisk), 0),
		segDigitsCol(render.Floats("churned", churned), 0), segDigitsCol(render.Floats("still_active", censored), 0),
		render.Floats("retention_rate", rr), render.Floats("survival_rate", ss)}
	if fit != nil {
		cols = append(cols, render.Floats("sbg_retention_rate", mrr), render.Floats("sbg_survival_rate", mss))
	}
	title := "Life table"
	if m < n {
		title = fmt.Sprintf("Life table (%ss 1–12, then every 6th; %d in all)", p, n)
	}
	sec.Blocks = append(sec.Blocks, report.Block{Table: &render.Table{Title: title, Columns: cols}})
	return sec
}

// repeatSection fits the BG/NBD model to the repeat transactions (model time
// in months) and, when it can, Gamma-Gamma to the spend per transaction. A
// model that cannot be fitted leaves a note saying why.
func repeatSection(run *segmentRun, sf *segmentFlags, tf *timeFlags) report.Section {
	sec := report.Section{Title: "Repeat buying: BG/NBD model"}
	s := run.sum
	n := s.Len()
	x := make([]float64, n)
	for i, v := range s.X {
		x[i] = float64(v)
	}
	sec.Blocks = append(sec.Blocks, report.Paragraph(
		"The BG/NBD model (Fader, Hardie & Lee 2005) treats every customer as buying at a steady personal rate while alive and dropping out for good after any purchase with a personal probability; it uses only the number of repeat purchase days (x), the time of the last (t_x) and the age (T), here in months. It does not see churn dates, so it is a cross-check of the lifecycle stages from the purchase pattern alone."))
	fit, err := btyd.FitBGNBD(x, s.Tx, s.T, nil, btyd.Options{})
	if err != nil {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "The BG/NBD model could not be fitted: " + err.Error()})
		return sec
	}
	counter, err := fit.Counter()
	if err != nil {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "BG/NBD: " + err.Error()})
		return sec
	}
	months := sf.horizon * float64(run.panel.Period.Months())
	pred, err := btyd.Predict(counter, x, s.Tx, s.T, nil, btyd.PredictOptions{Horizon: months})
	if err != nil {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "BG/NBD predictions failed: " + err.Error()})
		return sec
	}
	figs := []report.Figure{
		{Label: "r, alpha", Value: fmt.Sprintf("%.3g, %.3g", fit.Params[0], fit.Params[1]), Detail: "purchase rate: gamma(r, alpha), per month"},
		{Label: "a, b", Value: fmt.Sprintf("%.3g, %.3g", fit.Params[2], fit.Params[3]), Detail: "drop-out probability: beta(a, b)"},
	}
	var total float64
	for _, e := range pred.Expected {
		total += e
	}
	figs = append(figs, report.Figure{Label: fmt.Sprintf("expected purchase days, next %g months", months), Value: reportMoney(total), Detail: "all customers"})
	gg, ggErr := btyd.FitGammaGamma(x, s.Monetary, nil, btyd.Options{})
	if ggErr == nil {
		spend := btyd.GammaGamma{P: gg.Params[0], Q: gg.Params[1], Gamma: gg.Params[2]}
		if m := spend.MeanSpend(); !math.IsNaN(m) && !math.IsInf(m, 0) {
			figs = append(figs, report.Figure{Label: "mean spend per purchase day", Value: reportMoney(m), Detail: "Gamma-Gamma population mean"})
		} else {
			ggErr = fmt.Errorf("q = %.3g <= 1, so the mean spend per purchase does not exist under the model; a few very large accounts make spend too heavy-tailed for it", gg.Params[1])
		}
	}
	sec.Blocks = append(sec.Blocks, report.Block{Figures: figs})
	// Mean P(alive) per lifecycle stage: the two views should agree.
	r := run.res
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
		names[k] = st.String()
		counts[k] = cnt[st]
		if cnt[st] > 0 {
			mean[k] = sum[st] / float64(cnt[st])
		}
	}
	sec.Blocks = append(sec.Blocks, report.Block{Table: &render.Table{Title: "P(alive) by lifecycle stage", Columns: []render.Column{
		render.Strings("stage", names), render.Ints("subscribers", counts), render.Floats("mean_alive_probability", mean),
	}}})
	if ggErr != nil {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "No Gamma-Gamma spend model: " + ggErr.Error() + "."})
	}
	return sec
}

// lifecycleSection estimates the Markov chain of lifecycle stages. A model
// that cannot be estimated leaves a note instead of failing the report.
func lifecycleSection(run *segmentRun, horizon int) (report.Section, string) {
	sec := report.Section{Title: "Lifecycle transitions (Markov chain)"}
	var start, churn []int32
	if run.l.subs != nil {
		start, churn = lifecycle.StartChurn(run.panel, run.l.subs, run.l.subOf)
	}
	m, err := lifecycle.Build(run.panel, lifecycle.Options{Scheme: lifecycle.Stages, Rules: run.opt.Rules, Start: start, Churn: churn})
	if err != nil {
		sec.Blocks = append(sec.Blocks, report.Block{Note: "The lifecycle chain could not be estimated: " + err.Error()})
		return sec, "not estimated"
	}
	P := m.Fit.Chain.Matrix()
	sec.Blocks = append(sec.Blocks, report.Paragraph(
		"Each subscriber is placed in a lifecycle stage in every complete %s (%d %ss, the same rules as the stage column of the segments), and the moves between consecutive %ss are counted. Row **from**, column **to**: the share of subscribers in a stage who are in each stage one %s later.",
		run.panel.Period, m.Columns, run.panel.Period, run.panel.Period, run.panel.Period))
	var svg bytes.Buffer
	hm := &chart.Heatmap{Title: "Stage transitions per " + run.panel.Period.String(), Labels: m.States, Values: P, Counts: m.Fit.Counts}
	if err := hm.Write(&svg, "svg"); err == nil {
		sec.Blocks = append(sec.Blocks, report.Block{Chart: &report.Chart{Caption: "Transition probabilities between lifecycle stages (n = observed moves)", Alt: "heat map of stage transition probabilities", SVG: svg.Bytes()}})
	}
	ns := len(m.States)
	cols := make([]render.Column, 0, ns+2)
	cols = append(cols, render.Strings("from", m.States))
	for j, to := range m.States {
		c := make([]float64, ns)
		for i := range c {
			c[i] = P[i][j]
		}
		col := render.Floats(to, c)
		col.Digits = 3
		cols = append(cols, col)
	}
	cols = append(cols, render.Ints("observed_moves", m.Fit.Totals))
	sec.Blocks = append(sec.Blocks, report.Block{Table: &render.Table{Title: "Transition matrix", Columns: cols}})

	// State facts: current count, mean spend, expected periods to churn.
	ptc, sure, err := m.PeriodsToChurn()
	cur := make([]int64, ns)
	copy(cur, m.Current)
	toChurn := make([]string, ns)
	for i := range toChurn {
		switch {
		case err != nil:
			toChurn[i] = "n/a"
		case i == m.ChurnState:
			toChurn[i] = "—"
		case !sure[i] || math.IsInf(ptc[i], 0) || math.IsNaN(ptc[i]):
			toChurn[i] = "never certain"
		default:
			toChurn[i] = report.FormatFloat(ptc[i], 1)
		}
	}
	sec.Blocks = append(sec.Blocks, report.Block{Table: &render.Table{Title: "Stages", Columns: []render.Column{
		render.Strings("stage", m.States), render.Ints("subscribers_now", cur),
		segDigitsCol(render.Floats("mean_spend_per_period", m.MeanSpend), 2),
		render.Strings("expected_periods_to_churn", toChurn),
	}}})

	// Stage-mix forecast from today's distribution.
	x0 := make([]float64, ns)
	var total float64
	for i, c := range m.Current {
		x0[i] = float64(c)
		total += float64(c)
	}
	if total > 0 {
		for i := range x0 {
			x0[i] /= total
		}
		if fc, err := m.Fit.Chain.Forecast(x0, horizon); err == nil {
			lc := &report.LineChart{Title: fmt.Sprintf("Stage mix of today's subscribers, next %d %ss", horizon, run.panel.Period),
				XLabel: run.panel.Period.String() + "s from now", YLabel: "share of subscribers", YPercent: true, YMin: 0, YMax: 1}
			t := make([]float64, horizon+1)
			for k := range t {
				t[k] = float64(k)
			}
			for i, name := range m.States {
				y := make([]float64, horizon+1)
				for k := range y {
					y[k] = fc[k][i]
				}
				lc.Series = append(lc.Series, report.Series{Name: name, X: t, Y: y})
			}
			if svg, err := lc.SVG(); err == nil {
				sec.Blocks = append(sec.Blocks, report.Block{Chart: &report.Chart{Caption: "Forecast stage mix if the transition probabilities stay as estimated", Alt: "line chart of the forecast share of subscribers per stage", SVG: svg}})
			}
			last := fc[horizon]
			sec.Blocks = append(sec.Blocks, report.Paragraph("If the estimated transition probabilities hold, %s of today's subscribers will be churned in %d %ss (%s now).",
				reportPct(last[m.ChurnState]), horizon, run.panel.Period, reportPct(x0[m.ChurnState])))
		}
	}
	return sec, fmt.Sprintf("%d stages estimated from %d complete %ss", ns, m.Columns, run.panel.Period)
}

// valueSection: tiers, key accounts, concentration.
func valueSection(run *segmentRun, v *segViews) (report.Section, error) {
	r := run.res
	sec := report.Section{Title: "Value tiers, key accounts and concentration"}
	k := len(r.Tiers)
	subs := make([]int64, k)
	rev, clvSum, clvMin, clvMax := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	living := make([]int64, k)
	for t := range clvMin {
		clvMin[t], clvMax[t] = math.Inf(1), math.Inf(-1)
	}
	var totalRev float64
	for i := range r.IDs {
		t := r.Tier[i]
		subs[t]++
		rev[t] += r.Revenue[i]
		totalRev += r.Revenue[i]
		if r.Stage[i] != segment.Churned {
			living[t]++
			clvSum[t] += r.CLV[i]
			clvMin[t] = math.Min(clvMin[t], r.CLV[i])
			clvMax[t] = math.Max(clvMax[t], r.CLV[i])
		}
	}
	share, mean := make([]float64, k), make([]float64, k)
	for t := range share {
		if totalRev != 0 {
			share[t] = rev[t] / totalRev
		}
		if living[t] > 0 {
			mean[t] = clvSum[t] / float64(living[t])
		} else {
			clvMin[t], clvMax[t] = 0, 0
		}
	}
	sec.Blocks = append(sec.Blocks,
		report.Paragraph("Value tiers split the active subscribers into %d equal groups by future value (clv: %s). Churned subscribers have no future value; they are placed in the tier their spending level would give them, for win-back decisions.", k, run.valueBy),
		report.Block{Table: &render.Table{Title: "Value tiers", Columns: []render.Column{
			render.Strings("tier", r.Tiers), render.Ints("subscribers", subs), render.Ints("active", living),
			render.Floats("revenue", rev), render.Floats("revenue_share", share),
			render.Floats("mean_clv", mean), render.Floats("lowest_clv", clvMin), render.Floats("highest_clv", clvMax),
		}}})

	// Key accounts and VIP.
	vipText := "no VIP thresholds set"
	if len(run.opt.VIP) > 0 {
		var parts []string
		for lvl, th := range run.opt.VIP {
			parts = append(parts, fmt.Sprintf("VIP %d (≥ %s a month): %s", lvl+1, reportMoney(th), reportCount(v.key.VIP[fmt.Sprintf("vip%d", lvl+1)])))
		}
		vipText = strings.Join(parts, "; ")
	}
	sec.Blocks = append(sec.Blocks, report.Paragraph("**Key accounts:** the %s largest subscribers by revenue carry %s of all revenue (target %s). %s.",
		reportCount(v.key.Accounts), reportPct(v.key.RevenueShare), reportPct(run.opt.KeyShare), vipText))
	// Key account list (up to 15).
	idx := make([]int, 0, v.key.Accounts)
	for i := range r.IDs {
		if r.Key[i] {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case r.Revenue[a] > r.Revenue[b]:
			return -1
		case r.Revenue[a] < r.Revenue[b]:
			return 1
		}
		return strings.Compare(r.IDs[a], r.IDs[b])
	})
	shown := idx
	if len(shown) > 15 {
		shown = shown[:15]
	}
	if len(shown) > 0 {
		ct := run.attrs["customer_type"]
		n := len(shown)
		id, st, typ := make([]string, n), make([]string, n), make([]string, n)
		rv, rs, cur := make([]float64, n), make([]float64, n), make([]float64, n)
		vip := make([]int64, n)
		for j, i := range shown {
			id[j], st[j] = r.IDs[i], r.Stage[i].String()
			if ct != nil {
				typ[j] = ct[i]
			}
			rv[j], cur[j], vip[j] = r.Revenue[i], r.Current[i], int64(r.VIP[i])
			if totalRev != 0 {
				rs[j] = r.Revenue[i] / totalRev
			}
		}
		cols := []render.Column{render.Strings("customer_id", id)}
		if ct != nil {
			cols = append(cols, render.Strings("customer_type", typ))
		}
		cols = append(cols, render.Strings("stage", st), render.Floats("revenue", rv), render.Floats("revenue_share", rs),
			render.Floats("current_value", cur), render.Ints("vip_level", vip))
		title := "Key accounts"
		if len(idx) > len(shown) {
			title = fmt.Sprintf("Key accounts (largest %d of %d)", len(shown), len(idx))
		}
		sec.Blocks = append(sec.Blocks, report.Block{Table: &render.Table{Title: title, Columns: cols}})
	}

	// Concentration and Lorenz curve.
	c := v.conc
	sec.Blocks = append(sec.Blocks, report.Block{Figures: []report.Figure{
		{Label: "top 1% of subscribers", Value: reportPct(c.TopShare[0]), Detail: "of revenue"},
		{Label: "top 5%", Value: reportPct(c.TopShare[1]), Detail: "of revenue"},
		{Label: "top 20%", Value: reportPct(c.TopShare[2]), Detail: "of revenue"},
		{Label: "Gini coefficient", Value: fmt.Sprintf("%.3f", c.Gini), Detail: "0 = everyone spends the same"},
	}})
	x := make([]float64, len(c.Lorenz))
	y := make([]float64, len(c.Lorenz))
	for j, p := range c.Lorenz {
		x[j], y[j] = p[0], p[1]
	}
	lc := &report.LineChart{Title: "Lorenz curve of revenue", XLabel: "subscribers, smallest revenue first", YLabel: "share of revenue",
		XPercent: true, YPercent: true, XMin: 0, XMax: 1, YMin: 0, YMax: 1, Width: 480, Height: 400, LegendLeft: true,
		Series: []report.Series{{Name: "revenue", X: x, Y: y}, {Name: "equal revenue", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true}}}
	svg, err := lc.SVG()
	if err != nil {
		return sec, err
	}
	sec.Blocks = append(sec.Blocks, report.Block{Chart: &report.Chart{Caption: "The further the curve sags below the diagonal, the more revenue is concentrated in few subscribers",
		Alt: fmt.Sprintf("Lorenz curve; the top 20%% of subscribers hold %s of revenue", reportPct(c.TopShare[2])), SVG: svg}})

	for _, name := range run.byAttrs {
		t := segProfileTable(name, v.profiles[name])
		t.Title = "Profile by " + strings.ReplaceAll(name, "_", " ")
		sec.Blocks = append(sec.Blocks, report.Block{Table: t})
	}
	return sec, nil
}

// matrixSection: stage × tier counts, value and actions.
func matrixSection(run *segmentRun, v *segViews) report.Section {
	r := run.res
	sec := report.Section{Title: "Lifecycle stage × value tier, and what to do"}
	k := len(r.Tiers)
	stages := make([]string, segment.NumStages)
	for s := range stages {
		stages[s] = segment.Stages[s].String()
	}
	countCols := []render.Column{render.Strings("stage", stages)}
	valueCols := []render.Column{render.Strings("stage", stages)}
	actionCols := []render.Column{render.Strings("stage", stages)}
	totals := make([]int64, segment.NumStages)
	for t := 0; t < k; t++ {
		cnt := make([]int64, segment.NumStages)
		val := make([]float64, segment.NumStages)
		act := make([]string, segment.NumStages)
		for s := 0; s < segment.NumStages; s++ {
			m := v.matrix[s*k+t]
			cnt[s] = int64(m.Subscribers)
			totals[s] += cnt[s]
			val[s] = m.TotalCLV
			if m.Stage == "churned" {
				val[s] = m.Revenue
			}
			act[s] = m.Action
			if a := run.opt.Actions.Cell(segment.Stages[s], r.Tiers[t]); a != nil && a.MinValue > 0 {
				act[s] = fmt.Sprintf("%s if worth ≥ %s", a.Name, reportMoney(a.MinValue))
			}
		}
		countCols = append(countCols, render.Ints(r.Tiers[t], cnt))
		valueCols = append(valueCols, segDigitsCol(render.Floats(r.Tiers[t], val), 0))
		actionCols = append(actionCols, render.Strings(r.Tiers[t], act))
	}
	countCols = append(countCols, render.Ints("total", totals))
	sec.Blocks = append(sec.Blocks,
		report.Block{Table: &render.Table{Title: "Subscribers", Columns: countCols}},
		report.Block{Table: &render.Table{Title: "Total future value (churned: revenue in the window)", Columns: valueCols}},
		report.Block{Table: &render.Table{Title: "Action", Columns: actionCols}},
	)
	// Stage distribution by tier as a bar chart.
	bc := &report.BarChart{Title: "Subscribers per lifecycle stage and value tier", Labels: stages, YLabel: "subscribers", LegendLeft: true}
	for t := 0; t < k && t < 6; t++ {
		y := make([]float64, segment.NumStages)
		for s := range y {
			y[s] = float64(v.matrix[s*k+t].Subscribers)
		}
		bc.Groups = append(bc.Groups, report.Series{Name: r.Tiers[t], Y: y})
	}
	if k <= 6 {
		if svg, err := bc.SVG(); err == nil {
			sec.Blocks = append(sec.Blocks, report.Block{Chart: &report.Chart{Caption: "Subscribers per stage, one bar per value tier", Alt: "bar chart of subscribers per stage and tier", SVG: svg}})
		}
	}
	// Descriptions of the actions used.
	seen := map[string]bool{}
	var lines []string
	if run.opt.Actions != nil {
		for _, st := range segment.Stages {
			for _, tier := range r.Tiers {
				a := run.opt.Actions.Cell(st, tier)
				if a == nil || seen[a.Name] || a.Description == "" {
					continue
				}
				seen[a.Name] = true
				line := fmt.Sprintf("- **%s** — %s.", a.Name, strings.TrimSuffix(a.Description, "."))
				if a.MinValue > 0 {
					line += fmt.Sprintf(" Only where the subscriber is worth at least %s (for the churned: current value × %g %ss, what a win-back would recover); otherwise **%s**.",
						reportMoney(a.MinValue), run.opt.Horizon, r.Period, a.Otherwise)
				}
				lines = append(lines, line)
			}
		}
	}
	if len(lines) > 0 {
		sec.Blocks = append(sec.Blocks, report.Block{Text: strings.Join(lines, "\n")})
	}
	return sec
}

// warningSection: the call list.
func warningSection(run *segmentRun, v *segViews, top int) report.Section {
	sec := report.Section{Title: "Early warning: who to call first"}
	if len(v.warning) == 0 {
		sec.Blocks = append(sec.Blocks, report.Paragraph("No active subscriber is in decline or at a risk of %.2f or more.", run.opt.RiskThreshold))
		return sec
	}
	_, withType := run.attrs["customer_type"]
	t := v.warningTable(withType)
	t.Title = fmt.Sprintf("Top %d by value at risk", len(v.warning))
	sec.Blocks = append(sec.Blocks,
		report.Paragraph("Active subscribers in decline, or with a risk score of %.2f or more, ranked by value at risk = future value × risk. The full list is `clv segment --summary --top 0`.", run.opt.RiskThreshold),
		report.Block{Table: t},
		report.Block{Note: reportRiskNote(run)},
	)
	return sec
}

func reportVIPList(v []float64) string {
	if len(v) == 0 {
		return "none"
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("VIP %d ≥ %s", i+1, reportMoney(x))
	}
	return strings.Join(parts, ", ")
}

func reportRiskNote(run *segmentRun) string {
	if run.res.HasPAlive {
		return "Risk score = 1 − P(alive) from the value model."
	}
	return fmt.Sprintf("Risk score = mean of recency risk (whole %ss since the last purchase ÷ %d, at most 1) and trend risk (−spend trend ÷ %.2f, clipped to 0..1).",
		run.res.Period, run.opt.Rules.LapsePeriods, 2*math.Abs(run.opt.Rules.DeclineSlope))
}

// methodSection: rules and settings, so the numbers can be reproduced.
func methodSection(run *segmentRun, sf *segmentFlags, rf *reportFlags, life string) report.Section {
	r := run.opt.Rules
	p := run.res.Period
	lines := []string{
		fmt.Sprintf("- **Periods:** calendar %ss; as of %s (inclusive). Current value = revenue ÷ tenure inside the window, in %ss of mean length.", p, run.res.AsOf, p),
		fmt.Sprintf("- **Spend trend:** least-squares slope of spend per %s over the last %d complete %ss, divided by the mean spend over them.", p, r.TrendWindow, p),
		fmt.Sprintf("- **Stages** (first match wins): churned = churn date, or %d+ whole %ss without purchase; acquisition = tenure ≤ %d %ss; decline = trend ≤ %.2f or %d+ whole %s(s) without purchase; growth = trend ≥ %.2f; maturity otherwise.",
			r.LapsePeriods, p, r.AcquisitionPeriods, p, r.DeclineSlope, r.DeclineRecency, p, r.GrowthSlope),
		fmt.Sprintf("- **Future value (clv):** %s.", run.valueBy),
		fmt.Sprintf("- **Value tiers:** %d quantile groups of clv among active subscribers (%s).", len(run.res.Tiers), strings.Join(run.res.Tiers, ", ")),
		fmt.Sprintf("- **Key accounts:** smallest set of subscribers by revenue reaching %s of revenue; VIP levels on mean revenue per month: %s.", reportPct(run.opt.KeyShare), reportVIPList(run.opt.VIP)),
		fmt.Sprintf("- **Stars:** 1 + ⌊5 × score⌋ (at most 5), score = weighted mean of spend rank (weight %g), tenure rank (%g), share of %ss with a purchase (%g) and recent activity (%g).", run.opt.Stars.Spend, run.opt.Stars.Loyalty, p, run.opt.Stars.Regularity, run.opt.Stars.Activity),
		fmt.Sprintf("- **RFM:** %d bins, equal-count (NTILE) with ties broken by id; recency in days, frequency = transactions, monetary = total spend.", rf.rfmBins),
		fmt.Sprintf("- **Lifecycle chain:** %s; transition probabilities are observed shares (maximum likelihood).", life),
		"- **Concentration:** Gini = 1 − Σ (Lᵢ + Lᵢ₋₁)/n over subscribers sorted by revenue; top-k% share = revenue of the ⌈k% × n⌉ largest.",
	}
	return report.Section{Title: "Method and settings", Blocks: []report.Block{{Text: strings.Join(lines, "\n")}}}
}
