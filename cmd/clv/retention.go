package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/render"
)

func init() {
	register(newRetentionCmd)
}

const retentionLong = `Dynamic retention of a subscriber base: a censored life table by tenure period and
the shifted-beta-geometric (sBG) model of Fader & Hardie (2007) fitted to it.

Tenure is counted in whole periods (--period month, quarter or year) from each
subscriber's own activation day: period t is [activation + (t-1) periods,
activation + t periods), with the day of month clamped (activated 31 Jan -> 29 Feb,
31 Mar, ...). The churn date is the first day without service. A subscriber still
active at --as-of (inclusive) is censored in the period it is in, having been observed
for a fraction f of it. Subscribers activated after --as-of are left out, as are rows
whose churn date precedes the activation date (both counted on stderr).

Life table, for t = 1, 2, ...:
  at_risk     subscribers who entered period t
  churned     lost during period t
  censored    still active at --as-of while in period t
  exposure    at_risk - sum over the censored of (1 - f)  (actuarial adjustment with
              the observed share of the period; Cutler-Ederer would use f = 1/2)
  retention   r_t = 1 - churned / exposure
  survival    S_t = r_1 x ... x r_t

sBG: each subscriber renews with its own probability 1 - theta, theta ~ beta(alpha,
beta), so r_t = (beta + t - 1)/(alpha + beta + t - 1). alpha and beta are maximum
likelihood estimates from every subscriber (lost in period t: P(T = t); active:
S(t-1)(1 - f(1 - r_t))), with standard errors from the Hessian. The life table shows
the fitted retention and survival next to the observed ones; the projection continues
the fitted curve for --project periods beyond the observed horizon.

--as-of defaults to the latest activation or churn date in the file. If the export
holds only the subscribers still active on some date (those who churned earlier were
purged), give that date as --observed-from: subscribers activated before it enter the
analysis at their tenure on that date, conditionally on having survived until then
(left truncation). Without it such an export makes retention look too flat; a note
warns when the file looks truncated. When the sBG parameters grow without bound
(churn that does not vary with tenure), the constant-retention model is reported
instead (constant_retention).

--by COLUMN fits every value of a subscriber column separately (plan, region,
customer_type, ...); --by cohort groups by activation year unless the file has a
column named cohort. A group with fewer than --min-subscribers subscribers, without
churn, or whose fit fails says so in its sbg row instead of printing parameters.

--format json prints {"period", "as_of", "life_table": [{"period", "at_risk", "churned",
"censored", "exposure", "retention", "survival", "fitted_retention",
"fitted_survival"}], "sbg": {"alpha", "beta", "alpha_se", "beta_se",
"log_likelihood", "subscribers", "converged", "error"}, "projection": [{"period",
"retention", "survival"}]}; with --by, an array of such objects with a "group" field.
Without --by, a fit that does not converge exits with code 3.`

// retentionFlags are the options of clv retention (and of the sBG part of
// clv value subscribers).
type retentionFlags struct {
	in             inputFlags
	tf             timeFlags
	by             string
	minSubscribers int
	project        int
	observedFrom   string
}

func addRetentionFlags(cmd *cobra.Command, o *retentionFlags) {
	fl := cmd.Flags()
	fl.StringVar(&o.by, "by", "", "fit and report per value of this subscriber `COLUMN` (e.g. plan, region; cohort = activation year)")
	fl.IntVar(&o.minSubscribers, "min-subscribers", 30, "smallest group that is fitted")
	fl.StringVar(&o.observedFrom, "observed-from", "", "the export holds only subscribers active on this `DATE` or activated later (left truncation); earlier ones enter the analysis conditionally on surviving until it")
	addAsOf(cmd, &o.tf)
	cmd.Flags().StringVar(&o.tf.period, "period", "month", "tenure period: month, quarter or year (counted from each activation day)")
}

func newRetentionCmd(a *app) *cobra.Command {
	var o retentionFlags
	cmd := &cobra.Command{
		Use:   "retention -s SUBSCRIBERS [--period month] [--as-of DATE] [--by COLUMN]",
		Short: "Life table by tenure and shifted-beta-geometric retention model of a subscriber base",
		Long:  retentionLong,
		Example: "  clv retention -s examples/telecom/subscribers.csv --as-of 2024-12-31\n" +
			"  clv retention -s examples/telecom/subscribers.csv --by plan --format json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.project < 0 {
				return usagef("--project must be 0 or more, got %d", o.project)
			}
			base, err := a.loadBase(&o, false)
			if err != nil {
				return err
			}
			groups := base.fitGroups(a, o.minSubscribers)
			if o.by == "" && groups[0].err != nil {
				return groups[0].err
			}
			return a.writeRetention(base, groups, o.project)
		},
	}
	addInputFlags(cmd, &o.in, withSubscribers)
	addRetentionFlags(cmd, &o)
	cmd.Flags().IntVar(&o.project, "project", 12, "periods of fitted retention to project beyond the observed horizon")
	return cmd
}

// subscriberBase is a loaded subscriber base placed on the tenure axis.
type subscriberBase struct {
	l       *loaded
	period  dataset.Period
	asOf    dataset.Day
	tenures *retention.Tenures
	by      string
	names   []string // group names, sorted ("" when not grouped)
	rows    [][]int  // subscriber rows per group (nil = all)
}

// loadBase reads the subscribers (and the transactions when needTx), resolves
// --as-of (default: the latest date in the inputs) and places every subscriber
// on the tenure axis.
func (a *app) loadBase(o *retentionFlags, needTx bool) (*subscriberBase, error) {
	period, err := o.tf.periodValue()
	if err != nil {
		return nil, err
	}
	asOf, err := o.tf.asOfDay()
	if err != nil {
		return nil, err
	}
	if o.minSubscribers < 1 {
		return nil, usagef("--min-subscribers must be 1 or more, got %d", o.minSubscribers)
	}
	l, err := a.load(&o.in, needTx, true)
	if err != nil {
		return nil, err
	}
	if l.subs.Len() == 0 {
		return nil, fmt.Errorf("%s: %w", o.in.subscribers, dataset.ErrEmpty)
	}
	if asOf == dataset.NoDay {
		asOf = latestDay(l)
		a.notef("as-of date %s (the latest date in the input; set --as-of to choose)", asOf)
	}
	from := dataset.NoDay
	if o.observedFrom != "" {
		if from, err = parseFlagDate("--observed-from", o.observedFrom); err != nil {
			return nil, err
		}
		if from > asOf {
			return nil, usagef("--observed-from %s is after the as-of date %s", from, asOf)
		}
	}
	tn, err := retention.ComputeTenures(l.subs, retention.TenureOptions{Period: period, AsOf: asOf, From: from})
	if err != nil {
		return nil, err
	}
	if n := tn.Truncated(); n > 0 {
		a.notef("left out %d subscribers who churned before --observed-from %s", n, from)
	}
	if from == dataset.NoDay {
		a.warnTruncation(l.subs)
	}
	if act, churned, ns, inv := tn.Count(); ns+inv > 0 {
		a.notef("%d active and %d churned subscribers at %s; left out %d activated after it or without an activation date, %d with a churn date before activation", act, churned, asOf, ns, inv)
	}
	b := &subscriberBase{l: l, period: period, asOf: asOf, tenures: tn, by: o.by}
	if err := b.group(o.by); err != nil {
		return nil, err
	}
	return b, nil
}

// warnTruncation notes when the export looks left-truncated: more than a
// fifth of the subscribers were activated before the earliest churn date and
// that date is over a year after the earliest activation.
func (a *app) warnTruncation(s *dataset.Subscribers) {
	firstChurn, firstAct := dataset.NoDay, dataset.NoDay
	for i := range s.Len() {
		if c := s.Churn[i]; c != dataset.NoDay && (firstChurn == dataset.NoDay || c < firstChurn) {
			firstChurn = c
		}
		if d := s.Activation[i]; d != dataset.NoDay && (firstAct == dataset.NoDay || d < firstAct) {
			firstAct = d
		}
	}
	if firstChurn == dataset.NoDay || firstAct == dataset.NoDay || firstChurn-firstAct < 366 {
		return
	}
	before := 0
	for _, d := range s.Activation {
		if d != dataset.NoDay && d < firstChurn {
			before++
		}
	}
	if before*5 > s.Len() {
		a.notef("warning: no churn before %s although %d subscribers were activated earlier (from %s): if the export leaves out subscribers who churned before some date, pass it as --observed-from, or retention will look too flat", firstChurn, before, firstAct)
	}
}

// latestDay returns the latest activation, churn or transaction day.
func latestDay(l *loaded) dataset.Day {
	last := dataset.NoDay
	for i := range l.subs.Len() {
		last = max(last, l.subs.Activation[i], l.subs.Churn[i])
	}
	if l.tx != nil && l.tx.Len() > 0 {
		_, t := l.tx.DayRange()
		last = max(last, t)
	}
	return last
}

// group splits the subscriber rows by the values of column by.
func (b *subscriberBase) group(by string) error {
	if by == "" {
		b.names, b.rows = []string{""}, [][]int{nil}
		return nil
	}
	s := b.l.subs
	values := s.Attr(by)
	if values == nil && by == "cohort" {
		values = make([]string, s.Len())
		for i, d := range s.Activation {
			if d != dataset.NoDay {
				y, _, _ := d.Date()
				values[i] = strconv.Itoa(y)
			}
		}
	}
	if values == nil {
		return usagef("--by %q: the subscribers have no such column (columns: %v; cohort = activation year)", by, s.AttrNames)
	}
	index := map[string]int{}
	for i, v := range values {
		if st := b.tenures.Status[i]; st != retention.Active && st != retention.Churned {
			continue
		}
		if v == "" {
			v = "(blank)"
		}
		k, ok := index[v]
		if !ok {
			k = len(b.names)
			index[v] = k
			b.names = append(b.names, v)
			b.rows = append(b.rows, nil)
		}
		b.rows[k] = append(b.rows[k], i)
	}
	order := make([]int, len(b.names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case b.names[x] < b.names[y]:
			return -1
		case b.names[x] > b.names[y]:
			return 1
		}
		return 0
	})
	names, rows := make([]string, len(order)), make([][]int, len(order))
	for i, k := range order {
		names[i], rows[i] = b.names[k], b.rows[k]
	}
	b.names, b.rows = names, rows
	if len(b.names) == 0 {
		return fmt.Errorf("no subscriber active or churned at %s", b.asOf)
	}
	return nil
}

// groupFit is the life table and sBG fit of one group.
type groupFit struct {
	name      string
	rows      []int
	durations retention.Durations
	life      []retention.LifeRow
	fit       *retention.Fit
	geo       *retention.GeometricFit // constant-retention fallback when the sBG has no heterogeneity
	model     retention.Model         // fit, geo or nil
	err       error
}

// fitGroups builds the life table and fits the sBG model for every group.
func (b *subscriberBase) fitGroups(a *app, minSubscribers int) []groupFit {
	out := make([]groupFit, len(b.names))
	for g := range b.names {
		d := b.tenures.Durations(b.rows[g])
		gf := groupFit{name: b.names[g], rows: b.rows[g], durations: d, life: retention.LifeTable(d)}
		fo := retention.FitOptions{MinSubscribers: float64(minSubscribers)}
		gf.fit, gf.err = retention.FitSBG(d, fo)
		if gf.fit != nil {
			gf.model = gf.fit.SBG
		}
		if errors.Is(gf.err, retention.ErrNoHeterogeneity) {
			if geo, err := retention.FitGeometric(d, fo); err == nil {
				gf.geo, gf.model = geo, geo.Geometric
				a.notef("%s: churn does not vary with tenure (sBG alpha, beta unbounded); using constant retention %.4f", groupLabel(b.by, gf.name), geo.Rate)
				gf.err = nil
			}
		}
		if gf.err != nil && b.by != "" {
			a.notef("group %s=%s: %v", b.by, gf.name, gf.err)
		}
		out[g] = gf
	}
	return out
}

// JSON shapes of clv retention.
type sbgJSON struct {
	Alpha         *float64 `json:"alpha"`
	Beta          *float64 `json:"beta"`
	AlphaSE       *float64 `json:"alpha_se"`
	BetaSE        *float64 `json:"beta_se"`
	LogLikelihood *float64 `json:"log_likelihood"`
	Subscribers   float64  `json:"subscribers"`
	Converged     bool     `json:"converged"`
	Error         string   `json:"error,omitempty"`
	// ConstantRetention is set when the sBG model has no heterogeneity and the
	// constant-retention model is used instead.
	ConstantRetention   *float64 `json:"constant_retention,omitempty"`
	ConstantRetentionSE *float64 `json:"constant_retention_se,omitempty"`
}

// sbgOf summarises a group's fit for JSON and tables.
func (g *groupFit) sbgOf() sbgJSON {
	switch {
	case g.fit != nil:
		return sbgJSON{Alpha: ptr(g.fit.Alpha), Beta: ptr(g.fit.Beta), AlphaSE: ptr(g.fit.AlphaSE), BetaSE: ptr(g.fit.BetaSE),
			LogLikelihood: ptr(g.fit.LogLik), Subscribers: g.fit.N, Converged: g.fit.Converged}
	case g.geo != nil:
		return sbgJSON{LogLikelihood: ptr(g.geo.LogLik), Subscribers: g.geo.N, Converged: false,
			Error:             "no heterogeneity: sBG alpha and beta grow without bound; constant retention used",
			ConstantRetention: ptr(g.geo.Rate), ConstantRetentionSE: ptr(g.geo.SE)}
	}
	return sbgJSON{Subscribers: g.durations.Total(), Error: fitNote(g.err)}
}

type lifeRowJSON struct {
	Period          int      `json:"period"`
	AtRisk          float64  `json:"at_risk"`
	Churned         float64  `json:"churned"`
	Censored        float64  `json:"censored"`
	Exposure        float64  `json:"exposure"`
	Retention       float64  `json:"retention"`
	Survival        float64  `json:"survival"`
	FittedRetention *float64 `json:"fitted_retention"`
	FittedSurvival  *float64 `json:"fitted_survival"`
}

type projectionJSON struct {
	Period    int     `json:"period"`
	Retention float64 `json:"retention"`
	Survival  float64 `json:"survival"`
}

type retentionJSON struct {
	Group      *string          `json:"group,omitempty"`
	Period     string           `json:"period"`
	AsOf       string           `json:"as_of"`
	LifeTable  []lifeRowJSON    `json:"life_table"`
	SBG        sbgJSON          `json:"sbg"`
	Projection []projectionJSON `json:"projection"`
}

func ptr(v float64) *float64 { return &v }

// fitNote says why a group has no parameters.
func fitNote(err error) string {
	if err == nil {
		return ""
	}
	switch {
	case errors.Is(err, retention.ErrTooLittleData):
		return "not fitted: " + err.Error()
	case errors.Is(err, retention.ErrNotConverged):
		return "fit failed: " + err.Error()
	}
	return err.Error()
}

func (g *groupFit) json(b *subscriberBase, project int) retentionJSON {
	r := retentionJSON{Period: b.period.String(), AsOf: b.asOf.String(), LifeTable: []lifeRowJSON{}, Projection: []projectionJSON{}}
	if b.by != "" {
		name := g.name
		r.Group = &name
	}
	var proj []retention.Projection
	r.SBG = g.sbgOf()
	if g.model != nil {
		proj = retention.Curve(g.model, len(g.life)+project)
		for _, p := range proj[len(g.life):] {
			r.Projection = append(r.Projection, projectionJSON{p.Period, p.Retention, p.Survival})
		}
	}
	for i, row := range g.life {
		j := lifeRowJSON{Period: row.Period, AtRisk: row.AtRisk, Churned: row.Churned, Censored: row.Censored,
			Exposure: row.Exposure, Retention: row.Retention, Survival: row.Survival}
		if proj != nil {
			j.FittedRetention, j.FittedSurvival = ptr(proj[i].Retention), ptr(proj[i].Survival)
		}
		r.LifeTable = append(r.LifeTable, j)
	}
	return r
}

// writeRetention renders the life tables, fits and projections.
func (a *app) writeRetention(b *subscriberBase, groups []groupFit, project int) error {
	var js []retentionJSON
	for i := range groups {
		js = append(js, groups[i].json(b, project))
	}
	grouped := b.by != ""
	// Tables, with a leading group column when grouped.
	var fitT, lifeT, projT tableBuilder
	for _, j := range js {
		name := ""
		if j.Group != nil {
			name = *j.Group
		}
		s := j.SBG
		fitT.str("group", name, grouped)
		fitT.opt("alpha", s.Alpha)
		fitT.opt("beta", s.Beta)
		fitT.opt("alpha_se", s.AlphaSE)
		fitT.opt("beta_se", s.BetaSE)
		fitT.opt("log_likelihood", s.LogLikelihood)
		fitT.opt("constant_retention", s.ConstantRetention)
		fitT.num("subscribers", s.Subscribers)
		fitT.str("converged", strconv.FormatBool(s.Converged), true)
		fitT.str("note", s.Error, true)
		fitT.end()
		for _, r := range j.LifeTable {
			lifeT.str("group", name, grouped)
			lifeT.num("period", float64(r.Period))
			lifeT.num("at_risk", r.AtRisk)
			lifeT.num("churned", r.Churned)
			lifeT.num("censored", r.Censored)
			lifeT.num("exposure", r.Exposure)
			lifeT.num("retention", r.Retention)
			lifeT.num("survival", r.Survival)
			lifeT.opt("fitted_retention", r.FittedRetention)
			lifeT.opt("fitted_survival", r.FittedSurvival)
			lifeT.end()
		}
		for _, p := range j.Projection {
			projT.str("group", name, grouped)
			projT.num("period", float64(p.Period))
			projT.num("retention", p.Retention)
			projT.num("survival", p.Survival)
			projT.end()
		}
	}
	f, err := a.outputFormat()
	if err != nil {
		return err
	}
	human := f == render.FormatTable || f == render.FormatMarkdown
	title := fmt.Sprintf("Retention by tenure %s, as of %s", b.period, b.asOf)
	doc := &render.Doc{Title: title, Sections: []render.Section{
		{Title: "sBG fit", Table: fitT.table(human)},
		{Title: "Life table (observed and fitted)", Table: lifeT.table(human)},
	}}
	if projT.rows > 0 {
		doc.Sections = append(doc.Sections, render.Section{Title: fmt.Sprintf("Projection (fitted, next %d %ss)", project, b.period), Table: projT.table(human)})
	}
	var v any = js
	if !grouped {
		v = js[0]
	}
	return a.writeDoc(doc, v)
}

// tableBuilder accumulates a table row by row. Columns are created on first
// use and keep their order; optional values print empty when nil.
type tableBuilder struct {
	names []string
	kinds []byte // 's' string, 'f' float
	strs  map[string][]string
	nums  map[string][]float64
	blank map[string][]bool
	rows  int
}

func (t *tableBuilder) col(name string, kind byte) {
	if t.strs == nil {
		t.strs, t.nums, t.blank = map[string][]string{}, map[string][]float64{}, map[string][]bool{}
	}
	if !slices.Contains(t.names, name) {
		t.names = append(t.names, name)
		t.kinds = append(t.kinds, kind)
	}
}

func (t *tableBuilder) str(name, v string, include bool) {
	if !include {
		return
	}
	t.col(name, 's')
	t.strs[name] = append(t.strs[name], v)
}

func (t *tableBuilder) num(name string, v float64) {
	t.col(name, 'f')
	t.nums[name] = append(t.nums[name], v)
	t.blank[name] = append(t.blank[name], false)
}

func (t *tableBuilder) opt(name string, v *float64) {
	if v == nil {
		t.col(name, 'f')
		t.nums[name] = append(t.nums[name], 0)
		t.blank[name] = append(t.blank[name], true)
		return
	}
	t.num(name, *v)
}

func (t *tableBuilder) end() { t.rows++ }

// table returns the columns; a float column with blanks becomes a string
// column so that missing values print empty rather than as 0. human rounds
// those strings to 6 significant digits (terminal and markdown); otherwise
// they keep full precision (CSV).
func (t *tableBuilder) table(human bool) *render.Table {
	tab := &render.Table{}
	for i, name := range t.names {
		if t.kinds[i] == 's' {
			tab.Columns = append(tab.Columns, render.Strings(name, t.strs[name]))
			continue
		}
		vals, blank := t.nums[name], t.blank[name]
		if !slices.Contains(blank, true) {
			tab.Columns = append(tab.Columns, render.Floats(name, vals))
			continue
		}
		s := make([]string, len(vals))
		for k, v := range vals {
			switch {
			case blank[k]:
			case human:
				s[k] = strconv.FormatFloat(v, 'g', 6, 64)
			default:
				s[k] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		tab.Columns = append(tab.Columns, render.Strings(name, s))
	}
	return tab
}

// finite reports whether every value is a finite number.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
