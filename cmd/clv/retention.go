package main

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
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

--as-of defaults to the latest activation or churn date in the file (an --as-of more
than one period after it is refused unless --allow-future-as-of). If the export holds
only the subscribers still active on some date (those who churned earlier were purged),
subscribers activated before that date enter the analysis at their tenure on it,
conditionally on having survived until then (left truncation). --observed-from auto
(the default) finds the date: the month of the earliest churn, when over a fifth of
the subscribers were activated more than a year before it; stderr says so with the
counts. --observed-from DATE sets it, --observed-from none treats the export as
complete (every subscriber ever activated). When the sBG parameters grow without bound
(churn that does not vary with tenure), the constant-retention model is reported
instead (constant_retention).

--by COLUMN fits every value of a subscriber column separately (plan, region,
customer_type, ...); --by cohort groups by activation year unless the file has a
column named cohort. A group with fewer than --min-subscribers subscribers, without
churn, or whose fit fails says so in the note of its fit row (parameters empty).

Tables, each with a leading group column with --by: life_table (the main one:
tenure, at_risk, churned, censored, exposure, retention, survival,
fitted_retention, fitted_survival), fit (alpha, beta, alpha_se, beta_se,
log_likelihood, constant_retention, constant_retention_se, subscribers,
converged, note) and projection (tenure, retention, survival). The tenure column
was called period; that name stays one release as a trailing copy.
Without --by, a fit that does not converge exits with code 3.`

// retentionFlags are the options of clv retention (and of the sBG part of
// clv value subscribers).
type retentionFlags struct {
	in      inputFlags
	tf      timeFlags
	bf      baseFlags
	project int
}

// addRetentionFlags registers the flags of clv retention; byFlag names the
// grouping flag (--by on retention, --retention-by elsewhere).
func addRetentionFlags(cmd *cobra.Command, o *retentionFlags, byFlag string) {
	fl := cmd.Flags()
	def := "one pooled fit"
	if byFlag != "by" {
		def = "plan when the export has it; none = one pooled fit"
	}
	fl.StringVar(&o.bf.retentionBy, "by", "", "fit and report per value of this subscriber `COLUMN` (e.g. plan, region; cohort = activation year; default: "+def+")")
	if byFlag != "by" {
		fl.StringVar(&o.bf.retentionBy, byFlag, "", "the same as --by (the name report and segment use)")
	}
	fl.IntVar(&o.bf.minGroup, "min-subscribers", clv.DefaultMinGroup, "smallest group fitted on its own")
	addBaseFlags(cmd, &o.bf, withObserved)
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
			if o.bf.retentionBy == "" {
				o.bf.retentionBy = "none"
			}
			base, err := a.loadBase(&o, false, nil)
			if err != nil {
				return err
			}
			if base.by == "" && base.ret.Groups[0].Err != nil {
				return base.ret.Groups[0].Err
			}
			if base.by != "" {
				for i := range base.ret.Groups {
					if g := &base.ret.Groups[i]; g.Err != nil {
						a.notef("group %s: %v", base.ret.Label(g), g.Err)
					}
				}
			}
			return a.writeRetention(base, o.project)
		},
	}
	addInputFlags(cmd, &o.in, withSubscribers)
	addRetentionFlags(cmd, &o, "by")
	addFitTimeout(cmd, a)
	cmd.Flags().IntVar(&o.project, "project", 12, "periods of fitted retention to project beyond the observed horizon")
	return cmd
}

// subscriberBase is a loaded subscriber base placed on the tenure axis, with
// its retention groups fitted (by the analysis layer).
type subscriberBase struct {
	base   *clv.Base
	ret    *clv.Retention
	period dataset.Period
	asOf   dataset.Day
	by     string
}

// loadBase reads the subscribers (and the transactions when needTx), builds
// the analysis layer and fits the retention groups.
func (a *app) loadBase(o *retentionFlags, needTx bool, margin func(*clv.Options)) (*subscriberBase, error) {
	opt, err := a.baseOptions(&o.tf, &o.bf)
	if err != nil {
		return nil, err
	}
	if margin != nil {
		margin(&opt)
	}
	l, err := a.load(&o.in, needTx, true)
	if err != nil {
		return nil, err
	}
	if l.subs.Len() == 0 {
		return nil, fmt.Errorf("%s: %w", o.in.subscribers, dataset.ErrEmpty)
	}
	base, err := a.newBase(l, opt)
	if err != nil {
		return nil, err
	}
	ret, err := base.Retention()
	if err != nil {
		return nil, layerError(err)
	}
	return &subscriberBase{base: base, ret: ret, period: ret.Period, asOf: ret.AsOf, by: ret.By}, nil
}

// sbgSummary is a group's sBG fit as the tables show it (nil: not available).
type sbgSummary struct {
	Alpha, Beta, AlphaSE, BetaSE, LogLikelihood *float64
	Subscribers                                 float64
	Converged                                   bool
	Error                                       string
	// ConstantRetention is set when the sBG model has no heterogeneity and the
	// constant-retention model is used instead.
	ConstantRetention, ConstantRetentionSE *float64
}

// sbgOf summarises a group's fit.
func sbgOf(g *clv.GroupFit) sbgSummary {
	switch {
	case g.Fit != nil:
		return sbgSummary{Alpha: ptr(g.Fit.Alpha), Beta: ptr(g.Fit.Beta), AlphaSE: ptr(g.Fit.AlphaSE), BetaSE: ptr(g.Fit.BetaSE),
			LogLikelihood: ptr(g.Fit.LogLik), Subscribers: g.Fit.N, Converged: g.Fit.Converged}
	case g.Geo != nil:
		return sbgSummary{LogLikelihood: ptr(g.Geo.LogLik), Subscribers: g.Geo.N, Converged: false,
			Error:             "no heterogeneity: sBG alpha and beta grow without bound; constant retention used",
			ConstantRetention: ptr(g.Geo.Rate), ConstantRetentionSE: ptr(g.Geo.SE)}
	}
	note := fitNote(g.Err)
	if g.Pooled {
		note += "; valued with the pooled fit"
	}
	return sbgSummary{Subscribers: g.Durations.Total(), Error: note}
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
	case errors.Is(err, retention.ErrNotConverged), errors.Is(err, retention.ErrNotIdentified):
		return "fit failed: " + err.Error()
	}
	return err.Error()
}

// writeRetention renders the life tables, fits and projections: tables fit,
// life_table (main) and projection, each with a leading group column when
// grouped.
func (a *app) writeRetention(b *subscriberBase, project int) error {
	grouped := b.by != ""
	var fitT, lifeT, projT tableBuilder
	for gi := range b.ret.Groups {
		g := &b.ret.Groups[gi]
		s := sbgOf(g)
		fitT.str("group", g.Name, grouped)
		fitT.opt("alpha", s.Alpha)
		fitT.opt("beta", s.Beta)
		fitT.opt("alpha_se", s.AlphaSE)
		fitT.opt("beta_se", s.BetaSE)
		fitT.opt("log_likelihood", s.LogLikelihood)
		fitT.opt("constant_retention", s.ConstantRetention)
		fitT.opt("constant_retention_se", s.ConstantRetentionSE)
		fitT.num("subscribers", s.Subscribers)
		fitT.flag("converged", s.Converged)
		fitT.str("note", s.Error, true)
		fitT.end()
		var proj []retention.Projection
		if own := g.Own(); own != nil {
			proj = retention.Curve(own, len(g.Life)+project)
			for _, p := range proj[len(g.Life):] {
				projT.str("group", g.Name, grouped)
				projT.num("tenure", float64(p.Period))
				projT.num("retention", p.Retention)
				projT.num("survival", p.Survival)
				projT.end()
			}
		}
		for i, row := range g.Life {
			lifeT.str("group", g.Name, grouped)
			lifeT.num("tenure", float64(row.Period))
			lifeT.num("at_risk", row.AtRisk)
			lifeT.num("churned", row.Churned)
			lifeT.num("censored", row.Censored)
			lifeT.num("exposure", row.Exposure)
			lifeT.num("retention", row.Retention)
			lifeT.num("survival", row.Survival)
			if proj != nil {
				lifeT.num("fitted_retention", proj[i].Retention)
				lifeT.num("fitted_survival", proj[i].Survival)
			} else {
				lifeT.opt("fitted_retention", nil)
				lifeT.opt("fitted_survival", nil)
			}
			lifeT.end()
		}
	}
	r := &render.Result{Name: "retention", Title: fmt.Sprintf("Retention by tenure %s, as of %s", b.period, b.asOf), Main: "life_table"}
	r.Add("calendar_period", b.period.String()).Add("as_of", b.asOf)
	if grouped {
		r.Add("group_by", b.by)
	}
	r.AddTable(fitT.table("fit", "sBG fit"))
	r.AddTable(lifeT.table("life_table", "Life table (observed and fitted)"))
	if projT.rows == 0 {
		// Same columns, no rows: a result always has the table.
		projT.str("group", "", grouped)
		projT.num("tenure", 0)
		projT.num("retention", 0)
		projT.num("survival", 0)
		pt := projT.table("projection", "")
		for i := range pt.Columns {
			c := &pt.Columns[i]
			c.Strings, c.Floats = c.Strings[:0], c.Floats[:0]
		}
		r.AddTable(pt)
	} else {
		r.AddTable(projT.table("projection", ""))
	}
	r.Tables[2].Title = fmt.Sprintf("Projection (fitted, next %d %ss)", project, b.period)
	a.deprecatedColumn(r, "life_table", "tenure", "period")
	a.deprecatedColumn(r, "projection", "tenure", "period")
	return a.writeResult(r)
}

// tableBuilder accumulates a table row by row. Columns are created on first
// use and keep their order; optional values are null when nil.
type tableBuilder struct {
	names []string
	kinds []byte // 's' string, 'f' float, 'b' bool
	strs  map[string][]string
	nums  map[string][]float64
	bools map[string][]bool
	blank map[string][]bool
	rows  int
}

func (t *tableBuilder) col(name string, kind byte) {
	if t.strs == nil {
		t.strs, t.nums, t.bools, t.blank = map[string][]string{}, map[string][]float64{}, map[string][]bool{}, map[string][]bool{}
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

func (t *tableBuilder) flag(name string, v bool) {
	t.col(name, 'b')
	t.bools[name] = append(t.bools[name], v)
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

// table returns the columns; a float column with missing values marks them
// null (empty in CSV, null in JSON and Parquet).
func (t *tableBuilder) table(name, title string) *render.Table {
	tab := &render.Table{Name: name, Title: title}
	for i, col := range t.names {
		switch t.kinds[i] {
		case 's':
			tab.Columns = append(tab.Columns, render.Strings(col, t.strs[col]))
		case 'b':
			tab.Columns = append(tab.Columns, render.Bools(col, t.bools[col]))
		default:
			c := render.Floats(col, t.nums[col])
			if slices.Contains(t.blank[col], true) {
				c = c.WithNull(t.blank[col])
			}
			tab.Columns = append(tab.Columns, c)
		}
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
