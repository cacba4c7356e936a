package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

func init() {
	register(newSegmentCmd)
}

const segmentLong = `Segment subscribers by lifecycle stage and value, and say what to do with each.

One row per subscriber, columns in this order:

  customer_id     the subscriber id
  stage           lifecycle stage: acquisition, growth, maturity, decline, churned
  value_tier      quantile group of clv among active subscribers (--tiers, default
                  platinum/gold/silver/bronze); churned ones by their current value
  clv             future value (0 for churned subscribers), by --value-model:
                    sbg    residual lifetime value: margin per period (mean revenue of
                           the last 6 periods) x discounted expected residual lifetime
                           of the shifted-beta-geometric retention model at its tenure
                    bgnbd  BG/NBD expected transactions x Gamma-Gamma spend, discounted
                    none   run-rate value: current_value x sum_{t=1..horizon} (1+discount)^-t
                    auto   sbg when --subscribers is given and the fit succeeds, else none
  current_value   mean spend per --period over the tenure inside the window
  tenure_periods  periods since activation (or first purchase), counting the current one
  recency_days    days since the last purchase (since activation without purchases)
  spend_trend     OLS slope of spend per period over the trend window / mean spend in it
  risk_score      0..1: 1 - P(alive) with bgnbd, else mean of recency and trend risk
  star_rating     1..5 stars from spend, loyalty, regularity and activity
  key_account     true for the smallest set carrying --key-share of revenue
  action          the treatment from the action table for the stage x tier cell
  quadrant        current x potential value: stars, potentials, cash cows, low value
  vip_level       0 none, 1 = highest --vip threshold on mean revenue per month
  value_at_risk   clv x risk_score (run-rate value x risk for the churned)
  customer_type   from the subscriber export, when it has that column

Stage rules (first match wins; periods are --period):
  churned      churn date on or before --as-of, or --lapse-periods whole periods without purchase
  acquisition  tenure <= --acquisition-periods
  decline      spend_trend <= --decline-slope, or --decline-recency whole periods without purchase
  growth       spend_trend >= --growth-slope
  maturity     otherwise
The trend uses complete periods only (a partial last period is left out).

--summary prints the aggregated views instead: the stage x tier matrix (subscribers,
revenue, mean and total CLV, action), revenue concentration (top 1%/5%/20% share, Gini,
Lorenz points), profiles by plan, region and customer_type (or --by), and the top
--top early-warning list (not churned, in decline or risk >= --risk-threshold, ranked by
value at risk). The action table is examples/actions.csv; replace it with --actions FILE.`

// segmentFlags are the options of clv segment and clv report.
type segmentFlags struct {
	tiers          string
	keyShare       float64
	vip            string
	starWeights    string
	actions        string
	valueModel     string
	horizon        float64
	riskThreshold  float64
	acqPeriods     int
	trendWindow    int
	growthSlope    float64
	declineSlope   float64
	declineRecency int
	lapsePeriods   int
	by             string
	top            int
}

func addSegmentFlags(cmd *cobra.Command, f *segmentFlags) {
	d := segment.DefaultOptions()
	r := d.Rules
	fl := cmd.Flags()
	fl.StringVar(&f.tiers, "tiers", "4", "value tiers by CLV quantile: a count (default names) or names from the highest down, e.g. gold,silver,bronze")
	fl.Float64Var(&f.keyShare, "key-share", d.KeyShare, "share of revenue the key accounts carry, in (0, 1] (0.3 = 30%)")
	fl.StringVar(&f.vip, "vip", "3000,1000,500", "VIP thresholds on mean revenue per month, highest first (empty: none)")
	fl.StringVar(&f.starWeights, "star-weights", "0.4,0.2,0.2,0.2", "star-rating weights of spend, loyalty, regularity, activity")
	fl.StringVar(&f.actions, "actions", "", "action table `FILE` (CSV stage,tier,action,min_value,otherwise,description; default: the built-in copy of examples/actions.csv)")
	fl.StringVar(&f.valueModel, "value-model", "auto", "future value model: sbg (contractual retention, residual CLV), bgnbd (BG/NBD + Gamma-Gamma), none (run-rate value), or auto (sbg with --subscribers when it can be fitted, else none)")
	fl.Float64Var(&f.horizon, "horizon", d.Horizon, "value horizon in --period periods for the run-rate value")
	fl.Float64Var(&f.riskThreshold, "risk-threshold", d.RiskThreshold, "risk score (0 to 1) at or above which a subscriber is on the early-warning list")
	fl.IntVar(&f.acqPeriods, "acquisition-periods", r.AcquisitionPeriods, "tenure in periods up to which a subscriber is in acquisition")
	fl.IntVar(&f.trendWindow, "trend-window", r.TrendWindow, "periods over which the spend trend is measured")
	fl.Float64Var(&f.growthSlope, "growth-slope", r.GrowthSlope, "spend trend at or above which a subscriber is growing (slope per period as a share of mean spend: 0.05 = +5% a period)")
	fl.Float64Var(&f.declineSlope, "decline-slope", r.DeclineSlope, "spend trend at or below which a subscriber is declining (slope per period as a share of mean spend: -0.05 = -5% a period)")
	fl.IntVar(&f.declineRecency, "decline-recency", r.DeclineRecency, "whole periods without purchase that mean decline (0: off)")
	fl.IntVar(&f.lapsePeriods, "lapse-periods", r.LapsePeriods, "whole periods without purchase that mean churned")
	fl.StringVar(&f.by, "by", "", "subscriber attributes to profile, comma-separated (default: plan, region, customer_type where present)")
	fl.IntVar(&f.top, "top", 20, "length of the early-warning list")
}

// options turns the flags into segment options (usage errors for bad values).
func (f *segmentFlags) options(discount float64) (segment.Options, error) {
	o := segment.DefaultOptions()
	if k, err := strconv.Atoi(strings.TrimSpace(f.tiers)); err == nil {
		if k < 1 || k > 100 {
			return o, usagef("--tiers %d: want 1 to 100 tiers", k)
		}
		o.Tiers = segment.DefaultTierNames(k)
	} else {
		o.Tiers = nil
		for _, n := range strings.Split(f.tiers, ",") {
			o.Tiers = append(o.Tiers, strings.TrimSpace(n))
		}
	}
	o.KeyShare = f.keyShare
	vip, err := parseFloatList("--vip", f.vip)
	if err != nil {
		return o, err
	}
	o.VIP = vip
	w, err := parseFloatList("--star-weights", f.starWeights)
	if err != nil {
		return o, err
	}
	if len(w) != 4 {
		return o, usagef("--star-weights: want 4 weights (spend, loyalty, regularity, activity), got %d", len(w))
	}
	o.Stars = segment.Weights{Spend: w[0], Loyalty: w[1], Regularity: w[2], Activity: w[3]}
	o.Horizon = f.horizon
	o.Discount = discount
	o.RiskThreshold = f.riskThreshold
	o.Rules = segment.StageRules{
		AcquisitionPeriods: f.acqPeriods, TrendWindow: f.trendWindow,
		GrowthSlope: f.growthSlope, DeclineSlope: f.declineSlope,
		DeclineRecency: f.declineRecency, LapsePeriods: f.lapsePeriods,
		AliveDrop: o.Rules.AliveDrop,
	}
	if f.actions != "" {
		file, err := os.Open(f.actions)
		if err != nil {
			return o, fmt.Errorf("--actions: %w", err)
		}
		defer file.Close()
		t, err := segment.ParseActions(file)
		if err != nil {
			return o, usagef("--actions %s: %v", f.actions, err)
		}
		o.Actions = t
	} else {
		o.Actions = segment.DefaultActions()
	}
	if f.top < 0 {
		return o, usagef("--top must be 0 or more, got %d", f.top)
	}
	switch f.valueModel {
	case "auto", "none", "sbg", "bgnbd":
	default:
		return o, usagef("--value-model %q: want auto, sbg, bgnbd or none", f.valueModel)
	}
	if err := o.Validate(); err != nil {
		return o, usageError{err}
	}
	return o, nil
}

// segmentRun is everything clv segment and clv report compute.
type segmentRun struct {
	l       *loaded
	sum     *dataset.Summary
	panel   *dataset.Panel
	res     *segment.Result
	opt     segment.Options
	attrs   map[string][]string // subscriber attributes per summary row
	byAttrs []string            // attributes to profile
	churn   []dataset.Day       // churn day per summary row (nil without subscribers)
	// model is the value model used: sbg, bgnbd or none.
	model string
	// retention is the life table and sBG fit, when the value model fitted it.
	retention *retentionFit
	valueBy   string // what clv means, for notes and reports
}

// runSegment loads the data and builds the segments.
func (a *app) runSegment(in *inputFlags, tf *timeFlags, sf *segmentFlags, l *loaded) (*segmentRun, error) {
	if err := checkDiscount(tf.discount); err != nil {
		return nil, err
	}
	opt, err := sf.options(tf.discount)
	if err != nil {
		return nil, err
	}
	period, err := tf.periodValue()
	if err != nil {
		return nil, err
	}
	asOf, err := tf.asOfDay()
	if err != nil {
		return nil, err
	}
	if l == nil {
		l, err = a.load(in, true, false)
		if err != nil {
			return nil, err
		}
	}
	sum, err := dataset.Summarize(l.tx, dataset.SummaryOptions{AsOf: asOf, Unit: dataset.UnitMonth, Subscribers: l.subs, SubOf: l.subOf})
	if err != nil {
		return nil, err
	}
	if sum.Excluded > 0 {
		a.notef("left out %d transaction rows after the as-of date %s", sum.Excluded, sum.AsOf)
	}
	first, _ := l.tx.DayRange()
	if first == dataset.NoDay || first > sum.AsOf {
		return nil, dataset.ErrEmpty
	}
	panel, err := dataset.BuildPanel(l.tx, dataset.PanelOptions{Period: period, AsOf: sum.AsOf, From: first})
	if err != nil {
		return nil, err
	}
	if err := a.ctx.Err(); err != nil {
		return nil, err
	}
	run := &segmentRun{l: l, sum: sum, panel: panel, opt: opt, attrs: map[string][]string{}}
	input := segment.Input{Summary: sum, Panel: panel}
	if l.subs != nil {
		input.Churn = make([]dataset.Day, sum.Len())
		for k, name := range l.subs.AttrNames {
			col := make([]string, sum.Len())
			for i, c := range sum.Index {
				if r := l.subOf[c]; r >= 0 {
					col[i] = l.subs.Attrs[k][r]
				}
			}
			run.attrs[name] = col
		}
		for i, c := range sum.Index {
			input.Churn[i] = dataset.NoDay
			if r := l.subOf[c]; r >= 0 {
				input.Churn[i] = l.subs.Churn[r]
			}
		}
	}
	run.valueBy = fmt.Sprintf("run-rate value: current value per %s × %.4g (%g %ss at %g%% discount per %s); no churn model", period, segment.Annuity(opt.Horizon, opt.Discount), opt.Horizon, period, 100*opt.Discount, period)
	model := sf.valueModel
	if model == "auto" {
		model = "none"
		if l.subs != nil {
			model = "sbg"
		}
	}
	if model == "sbg" && l.subs == nil {
		return nil, usagef("--value-model sbg needs --subscribers (activation and churn dates)")
	}
	switch model {
	case "sbg":
		ret := fitRetention(l, sum.AsOf, period)
		run.retention = ret
		if ret.err == nil {
			input.CLV, run.valueBy, err = a.residualValue(ret, l, sum, period, opt)
		} else {
			err = ret.err
		}
		if err != nil {
			if sf.valueModel == "sbg" {
				return nil, err
			}
			a.notef("value model: sBG not usable (%v); using the run-rate value", err)
			input.CLV = nil
		}
	case "bgnbd":
		clv, palive, desc, err := a.futureValue(l, sum, period, opt)
		if err != nil {
			return nil, err
		}
		input.CLV, input.PAlive, run.valueBy = clv, palive, desc
	}
	run.churn = input.Churn
	run.model = model
	if input.CLV == nil {
		run.model = "none"
	}
	res, err := segment.Build(input, opt)
	if err != nil {
		return nil, err
	}
	run.res = res
	// Attributes to profile.
	if sf.by != "" {
		for _, name := range strings.Split(sf.by, ",") {
			name = strings.TrimSpace(name)
			if _, ok := run.attrs[name]; !ok {
				return nil, usagef("--by %q: the subscriber export has no such column (have %s)", name, strings.Join(segAttrNames(l), ", "))
			}
			run.byAttrs = append(run.byAttrs, name)
		}
	} else {
		for _, name := range []string{"plan", "region", "customer_type"} {
			if _, ok := run.attrs[name]; ok {
				run.byAttrs = append(run.byAttrs, name)
			}
		}
	}
	return run, nil
}

func segAttrNames(l *loaded) []string {
	if l.subs == nil {
		return []string{"none: no --subscribers"}
	}
	return l.subs.AttrNames
}

func newSegmentCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var sf segmentFlags
	var summary bool
	cmd := &cobra.Command{
		Use:   "segment -t TRANSACTIONS -s SUBSCRIBERS [--period month] [--as-of DATE] [--summary]",
		Short: "Lifecycle stage, value tier, key accounts, stars, risk and action per subscriber",
		Long:  segmentLong,
		Example: "  clv segment -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv\n" +
			"  clv segment -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --summary --format markdown",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			run, err := a.runSegment(&in, &tf, &sf, nil)
			if err != nil {
				return err
			}
			a.notef("value: %s", run.valueBy)
			if summary {
				doc, js := run.summaryDoc(sf.top)
				return a.writeDoc(doc, js)
			}
			return a.writeTable(run.customerTable())
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, 0.01, "--period, on future value")
	addSegmentFlags(cmd, &sf)
	cmd.Flags().BoolVar(&summary, "summary", false, "print the aggregated views (stage x tier matrix, concentration, profiles, early warning) instead of one row per subscriber")
	return cmd
}

// customerTable is the per-subscriber output with its stable columns.
func (run *segmentRun) customerTable() *render.Table {
	r := run.res
	n := r.Len()
	stage := make([]string, n)
	tier := make([]string, n)
	quad := make([]string, n)
	stars := make([]int64, n)
	vip := make([]int64, n)
	for i := 0; i < n; i++ {
		stage[i] = r.Stage[i].String()
		tier[i] = r.Tiers[r.Tier[i]]
		quad[i] = r.Quadrant[i].String()
		stars[i] = int64(r.Stars[i])
		vip[i] = int64(r.VIP[i])
	}
	cols := []render.Column{
		render.Strings("customer_id", r.IDs),
		render.Strings("stage", stage),
		render.Strings("value_tier", tier),
		withDigits(render.Floats("clv", r.CLV), 2),
		withDigits(render.Floats("current_value", r.Current), 2),
		render.Int32s("tenure_periods", r.TenurePeriods),
		render.Int32s("recency_days", r.RecencyDays),
		withDigits(render.Floats("spend_trend", r.Trend), 3),
		withDigits(render.Floats("risk_score", r.Risk), 3),
		render.Ints("star_rating", stars),
		render.Bools("key_account", r.Key),
		render.Strings("action", r.Action),
		render.Strings("quadrant", quad),
		render.Ints("vip_level", vip),
		withDigits(render.Floats("value_at_risk", r.ValueAtRisk), 2),
	}
	if ct, ok := run.attrs["customer_type"]; ok {
		cols = append(cols, render.Strings("customer_type", ct))
	}
	return &render.Table{Columns: cols}
}

// segmentSummary is the JSON form of clv segment --summary.
type segmentSummary struct {
	AsOf          string                    `json:"as_of"`
	Period        string                    `json:"period"`
	Value         string                    `json:"value"`
	Subscribers   int                       `json:"subscribers"`
	Stages        map[string]int            `json:"stages"`
	Matrix        []segMatrixRow            `json:"matrix"`
	Concentration segConcentrationJSON      `json:"concentration"`
	KeyAccounts   segKeyJSON                `json:"key_accounts"`
	Profiles      map[string][]segGroupJSON `json:"profiles"`
	EarlyWarning  []segWarningRow           `json:"early_warning"`
}

type segMatrixRow struct {
	Stage       string  `json:"stage"`
	Tier        string  `json:"value_tier"`
	Subscribers int     `json:"subscribers"`
	Revenue     float64 `json:"revenue"`
	MeanCLV     float64 `json:"mean_clv"`
	TotalCLV    float64 `json:"total_clv"`
	Action      string  `json:"action"`
}

type segConcentrationJSON struct {
	Top1   float64      `json:"top_1pct_share"`
	Top5   float64      `json:"top_5pct_share"`
	Top20  float64      `json:"top_20pct_share"`
	Gini   float64      `json:"gini"`
	Lorenz [][2]float64 `json:"lorenz"`
}

type segKeyJSON struct {
	Accounts     int            `json:"accounts"`
	RevenueShare float64        `json:"revenue_share"`
	VIP          map[string]int `json:"vip_levels"`
}

type segGroupJSON struct {
	Value        string  `json:"value"`
	Subscribers  int     `json:"subscribers"`
	Revenue      float64 `json:"revenue"`
	RevenueShare float64 `json:"revenue_share"`
	MeanCurrent  float64 `json:"mean_current_value"`
	MeanCLV      float64 `json:"mean_clv"`
	KeyAccounts  int     `json:"key_accounts"`
	Decline      int     `json:"decline"`
	Churned      int     `json:"churned"`
}

type segWarningRow struct {
	Rank         int     `json:"rank"`
	ID           string  `json:"customer_id"`
	Stage        string  `json:"stage"`
	Tier         string  `json:"value_tier"`
	CLV          float64 `json:"clv"`
	Risk         float64 `json:"risk_score"`
	ValueAtRisk  float64 `json:"value_at_risk"`
	RecencyDays  int32   `json:"recency_days"`
	Trend        float64 `json:"spend_trend"`
	CustomerType string  `json:"customer_type,omitempty"`
	Action       string  `json:"action"`
}

// segViews computes the aggregated views once.
type segViews struct {
	matrix   []segMatrixRow
	conc     segment.Concentration
	key      segKeyJSON
	profiles map[string][]segment.Group
	warning  []segWarningRow
	stages   [segment.NumStages]int
}

func (run *segmentRun) views(top int) *segViews {
	r := run.res
	v := &segViews{profiles: map[string][]segment.Group{}}
	m := r.Matrix()
	for _, st := range segment.Stages {
		for t, name := range r.Tiers {
			c := m[st][t]
			action := ""
			if run.opt.Actions != nil {
				if a := run.opt.Actions.Cell(st, name); a != nil {
					action = a.Name
					if a.MinValue > 0 {
						action = fmt.Sprintf("%s if value ≥ %g, else %s", a.Name, a.MinValue, a.Otherwise)
					}
				}
			}
			v.matrix = append(v.matrix, segMatrixRow{Stage: st.String(), Tier: name, Subscribers: c.Customers,
				Revenue: c.Revenue, MeanCLV: c.MeanCLV, TotalCLV: c.TotalCLV, Action: action})
		}
	}
	v.conc = segment.Concentrate(r.Revenue, 100)
	v.key = segKeyJSON{RevenueShare: r.KeyRevenueShare, VIP: map[string]int{}}
	for i := range r.IDs {
		if r.Key[i] {
			v.key.Accounts++
		}
		if r.VIP[i] > 0 {
			v.key.VIP[fmt.Sprintf("vip%d", r.VIP[i])]++
		}
	}
	for _, name := range run.byAttrs {
		v.profiles[name] = r.Profile(run.attrs[name])
	}
	ct := run.attrs["customer_type"]
	for k, i := range r.EarlyWarning(run.opt.RiskThreshold, top) {
		w := segWarningRow{Rank: k + 1, ID: r.IDs[i], Stage: r.Stage[i].String(), Tier: r.Tiers[r.Tier[i]],
			CLV: r.CLV[i], Risk: r.Risk[i], ValueAtRisk: r.ValueAtRisk[i], RecencyDays: r.RecencyDays[i],
			Trend: r.Trend[i], Action: r.Action[i]}
		if ct != nil {
			w.CustomerType = ct[i]
		}
		v.warning = append(v.warning, w)
	}
	v.stages = r.StageCounts()
	return v
}

func (v *segViews) matrixTable() *render.Table {
	n := len(v.matrix)
	st, tier, act := make([]string, n), make([]string, n), make([]string, n)
	subs := make([]int64, n)
	rev, mean, total := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, m := range v.matrix {
		st[i], tier[i], act[i], subs[i] = m.Stage, m.Tier, m.Action, int64(m.Subscribers)
		rev[i], mean[i], total[i] = m.Revenue, m.MeanCLV, m.TotalCLV
	}
	return &render.Table{Title: "stage x value tier", Columns: []render.Column{
		render.Strings("stage", st), render.Strings("value_tier", tier), render.Ints("subscribers", subs),
		withDigits(render.Floats("revenue", rev), 2), withDigits(render.Floats("mean_clv", mean), 2),
		withDigits(render.Floats("total_clv", total), 2), render.Strings("action", act),
	}}
}

func (v *segViews) concentrationTable() *render.Table {
	c := v.conc
	names := []string{"subscribers", "revenue", "top_1pct_share", "top_5pct_share", "top_20pct_share", "gini", "key_accounts", "key_account_share"}
	vals := []float64{float64(c.Customers), c.Total, c.TopShare[0], c.TopShare[1], c.TopShare[2], c.Gini, float64(v.key.Accounts), v.key.RevenueShare}
	return &render.Table{Title: "concentration", Columns: []render.Column{
		render.Strings("metric", names), render.Floats("value", vals)}}
}

func (v *segViews) lorenzTable(step int) *render.Table {
	var x, y []float64
	for j, p := range v.conc.Lorenz {
		if j%step == 0 || j == len(v.conc.Lorenz)-1 {
			x = append(x, p[0])
			y = append(y, p[1])
		}
	}
	return &render.Table{Title: "lorenz", Columns: []render.Column{
		withDigits(render.Floats("subscriber_share", x), 2), withDigits(render.Floats("revenue_share", y), 4)}}
}

func segProfileTable(name string, gs []segment.Group) *render.Table {
	n := len(gs)
	val := make([]string, n)
	subs, key, dec, ch := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	rev, share, cur, clv := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, g := range gs {
		val[i] = g.Value
		subs[i], key[i], dec[i], ch[i] = int64(g.Customers), int64(g.KeyAccounts), int64(g.AtRisk), int64(g.Churned)
		rev[i], share[i], cur[i], clv[i] = g.Revenue, g.RevenueShare, g.MeanCurrent, g.MeanCLV
	}
	return &render.Table{Title: "profile by " + name, Columns: []render.Column{
		render.Strings(name, val), render.Ints("subscribers", subs), withDigits(render.Floats("revenue", rev), 2),
		withDigits(render.Floats("revenue_share", share), 4), withDigits(render.Floats("mean_current_value", cur), 2),
		withDigits(render.Floats("mean_clv", clv), 2), render.Ints("key_accounts", key),
		render.Ints("decline", dec), render.Ints("churned", ch),
	}}
}

func (v *segViews) warningTable(withType bool) *render.Table {
	n := len(v.warning)
	rank := make([]int64, n)
	id, st, tier, act, ct := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	clv, risk, var_, trend := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	rec := make([]int32, n)
	for i, w := range v.warning {
		rank[i], id[i], st[i], tier[i], act[i], ct[i] = int64(w.Rank), w.ID, w.Stage, w.Tier, w.Action, w.CustomerType
		clv[i], risk[i], var_[i], trend[i], rec[i] = w.CLV, w.Risk, w.ValueAtRisk, w.Trend, w.RecencyDays
	}
	cols := []render.Column{
		render.Ints("rank", rank), render.Strings("customer_id", id), render.Strings("stage", st),
		render.Strings("value_tier", tier), withDigits(render.Floats("clv", clv), 2), withDigits(render.Floats("risk_score", risk), 3),
		withDigits(render.Floats("value_at_risk", var_), 2), render.Int32s("recency_days", rec),
		withDigits(render.Floats("spend_trend", trend), 3),
	}
	if withType {
		cols = append(cols, render.Strings("customer_type", ct))
	}
	cols = append(cols, render.Strings("action", act))
	return &render.Table{Title: "early warning", Columns: cols}
}

// summaryDoc lays out clv segment --summary.
func (run *segmentRun) summaryDoc(top int) (*render.Doc, segmentSummary) {
	v := run.views(top)
	r := run.res
	_, withType := run.attrs["customer_type"]
	doc := &render.Doc{Title: fmt.Sprintf("Segments as of %s (%d subscribers, per %s)", r.AsOf, r.Len(), r.Period)}
	doc.Sections = append(doc.Sections,
		render.Section{Title: "Stage x value tier", Text: "clv: " + run.valueBy, Table: v.matrixTable()},
		render.Section{Title: "Concentration", Table: v.concentrationTable()},
		render.Section{Title: "Lorenz curve", Table: v.lorenzTable(10)},
	)
	for _, name := range run.byAttrs {
		doc.Sections = append(doc.Sections, render.Section{Title: "Profile by " + name, Table: segProfileTable(name, v.profiles[name])})
	}
	doc.Sections = append(doc.Sections, render.Section{Title: fmt.Sprintf("Early warning (top %d by value at risk)", top), Table: v.warningTable(withType)})

	js := segmentSummary{AsOf: r.AsOf.String(), Period: r.Period.String(), Value: run.valueBy, Subscribers: r.Len(),
		Stages: map[string]int{}, Matrix: v.matrix, KeyAccounts: v.key, Profiles: map[string][]segGroupJSON{}, EarlyWarning: v.warning}
	for _, st := range segment.Stages {
		js.Stages[st.String()] = v.stages[st]
	}
	c := v.conc
	js.Concentration = segConcentrationJSON{Top1: c.TopShare[0], Top5: c.TopShare[1], Top20: c.TopShare[2], Gini: c.Gini, Lorenz: c.Lorenz}
	for _, name := range run.byAttrs {
		for _, g := range v.profiles[name] {
			js.Profiles[name] = append(js.Profiles[name], segGroupJSON{Value: g.Value, Subscribers: g.Customers, Revenue: g.Revenue,
				RevenueShare: g.RevenueShare, MeanCurrent: g.MeanCurrent, MeanCLV: g.MeanCLV, KeyAccounts: g.KeyAccounts,
				Decline: g.AtRisk, Churned: g.Churned})
		}
	}
	if js.EarlyWarning == nil {
		js.EarlyWarning = []segWarningRow{}
	}
	return doc, js
}

// futureValue fits the chosen value model and returns residual CLV and
// P(alive) per summary row, and a description for notes and reports.
func (a *app) futureValue(l *loaded, sum *dataset.Summary, period dataset.Period, opt segment.Options) ([]float64, []float64, string, error) {
	months := float64(period.Months())
	horizon := opt.Horizon * months // model time is months
	// Discount per period → per month.
	monthly := math.Pow(1+opt.Discount, 1/months) - 1
	{
		n := sum.Len()
		x := make([]float64, n)
		for i, v := range sum.X {
			x[i] = float64(v)
		}
		fit, err := btyd.FitBGNBD(x, sum.Tx, sum.T, nil, btyd.Options{})
		if err != nil {
			return nil, nil, "", fmt.Errorf("--value-model bgnbd: BG/NBD fit: %w", err)
		}
		gg, err := btyd.FitGammaGamma(x, sum.Monetary, nil, btyd.Options{})
		if err != nil {
			return nil, nil, "", fmt.Errorf("--value-model bgnbd: Gamma-Gamma fit: %w", err)
		}
		counter, err := fit.Counter()
		if err != nil {
			return nil, nil, "", err
		}
		spend := &btyd.GammaGamma{P: gg.Params[0], Q: gg.Params[1], Gamma: gg.Params[2]}
		pred, err := btyd.Predict(counter, x, sum.Tx, sum.T, sum.Monetary, btyd.PredictOptions{Horizon: horizon, Discount: monthly, Spend: spend})
		if err != nil {
			return nil, nil, "", fmt.Errorf("--value-model bgnbd: %w", err)
		}
		desc := fmt.Sprintf("BG/NBD (r %.4g, alpha %.4g, a %.4g, b %.4g; months) × Gamma-Gamma spend (p %.4g, q %.4g, gamma %.4g), expected discounted spend over %g months at %g%% per %s",
			fit.Params[0], fit.Params[1], fit.Params[2], fit.Params[3], gg.Params[0], gg.Params[1], gg.Params[2], horizon, 100*opt.Discount, period)
		return pred.CLV, pred.PAlive, desc, nil
	}
}

// retentionFit is the contractual retention analysis of the subscribers:
// tenures at the as-of day, the actuarial life table and the sBG fit.
type retentionFit struct {
	period  dataset.Period
	tenures *retention.Tenures
	life    []retention.LifeRow
	fit     *retention.Fit
	err     error // why the sBG fit failed (the life table may still be there)
}

// fitRetention builds the life table and fits the sBG model; a failed fit
// is kept in err.
func fitRetention(l *loaded, asOf dataset.Day, period dataset.Period) *retentionFit {
	r := &retentionFit{period: period}
	t, err := retention.ComputeTenures(l.subs, retention.TenureOptions{Period: period, AsOf: asOf})
	if err != nil {
		r.err = err
		return r
	}
	r.tenures = t
	d := t.Durations(nil)
	r.life = retention.LifeTable(d)
	r.fit, r.err = retention.FitSBG(d, retention.FitOptions{})
	if r.err != nil {
		r.err = fmt.Errorf("sBG fit: %w", r.err)
	}
	return r
}

// marginWindow is the number of recent periods over which a subscriber's
// margin per period is measured for the residual value.
const marginWindow = 6

// residualValue values every summary row with the sBG residual lifetime value:
// margin per period (mean revenue over the last marginWindow periods) × DERL
// at its tenure. Customers missing from the subscriber export get the
// run-rate value.
func (a *app) residualValue(ret *retentionFit, l *loaded, sum *dataset.Summary, period dataset.Period, opt segment.Options) ([]float64, string, error) {
	margin, err := retention.Margins(l.tx, l.subOf, l.subs, retention.MarginOptions{Period: period, AsOf: sum.AsOf, Window: marginWindow, Rate: 1})
	if err != nil {
		return nil, "", err
	}
	res, err := retention.ResidualValues(ret.tenures, nil, ret.fit.SBG, margin, opt.Discount)
	if err != nil {
		return nil, "", fmt.Errorf("sBG residual value: %w", err)
	}
	annuity := segment.Annuity(opt.Horizon, opt.Discount)
	out := make([]float64, sum.Len())
	var outside int
	for i, c := range sum.Index {
		if r := l.subOf[c]; r >= 0 {
			out[i] = math.Max(0, res.Value[r])
			continue
		}
		outside++
		if sum.Transactions[i] > 0 && len(sum.Tenure) > i {
			days := math.Max(1, float64(sum.Tenure[i])+1)
			out[i] = math.Max(0, sum.Total[i]/(days/period.Days())) * annuity
		}
	}
	f := ret.fit
	desc := fmt.Sprintf("sBG residual lifetime value: margin per %s (mean revenue of the last %d %ss) × discounted expected residual lifetime at %g%% per %s; sBG alpha %.4g (± %.2g), beta %.4g (± %.2g)",
		period, marginWindow, period, 100*opt.Discount, period, f.Alpha, f.AlphaSE, f.Beta, f.BetaSE)
	if outside > 0 {
		desc += fmt.Sprintf("; %d customers missing from the subscriber export get the run-rate value", outside)
	}
	return out, desc, nil
}
