package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
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
                           the last --margin-window periods) x discounted expected
                           residual lifetime of the shifted-beta-geometric model of
                           its --retention-by group (default plan) at its tenure: the
                           values of 'clv value subscribers' (--observed-from as there)
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
  action          the treatment from the action table for the stage x tier cell (rows
                  of a quadrant first: the default table gives the potentials quadrant
                  a development plan)
  quadrant        current value x potential value split at their medians over the
                  customers not churned: stars, potentials (the improvement type: low
                  value now, high growth ahead), cash cows, low value; potential value
                  is potential_value with the sbg model, else clv
  vip_level       0 none, 1 = highest --vip threshold on mean revenue per month
  value_at_risk   clv x risk_score (run-rate value x risk for the churned)
  customer_type   from the subscriber export, when it has that column
  potential_value with the sbg model: the growth part of future value, the residual
                  value when spend follows the plan's value curve from the current
                  tenure at the subscriber's own level, minus the value at today's
                  run rate (see 'clv value potential')
  headroom        with the sbg model: the plan curve's 75th spend percentile at the
                  subscriber's tenure minus its run-rate spend per --period (>= 0)

Stage rules (first match wins; periods are --period):
  churned      churn date on or before --as-of, or --lapse-periods whole periods without purchase
  acquisition  tenure <= --acquisition-periods
  decline      spend_trend <= --decline-slope, or --decline-recency whole periods without purchase
  growth       spend_trend >= --growth-slope
  maturity     otherwise
The trend uses complete periods only (a partial last period is left out).

--views prints the aggregated views instead: the stage x tier matrix (subscribers,
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
	riskModel      string
	riskHorizon    int
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
	fl.StringVar(&f.riskModel, "risk-model", "auto", "early-warning risk: hazard (probability of churn within --risk-horizon periods from the churn-hazard model, as clv risk), heuristic (recency and spend trend), or auto (hazard with --subscribers up to 50,000 subscribers, else heuristic)")
	fl.IntVar(&f.riskHorizon, "risk-horizon", 3, "periods ahead of the churn probability of --risk-model hazard")
	fl.StringVar(&f.valueModel, "value-model", "auto", "future value model: sbg (contractual retention, residual CLV), bgnbd (BG/NBD + Gamma-Gamma), none (run-rate value), or auto (sbg with --subscribers when it can be fitted, else none)")
	fl.Float64Var(&f.horizon, "value-horizon", d.Horizon, "future --period periods valued by the run-rate value (--value-model none)")
	aliasFlag(fl, "value-horizon", "horizon")
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

// segmentBase loads the data and builds the analysis layer with the segment
// options; the segments themselves are built on first use.
func (a *app) segmentBase(in *inputFlags, tf *timeFlags, bf *baseFlags, sf *segmentFlags, l *loaded) (*clv.Base, error) {
	o, err := a.baseOptions(tf, bf)
	if err != nil {
		return nil, err
	}
	if o.Segment, err = sf.options(tf.discount); err != nil {
		return nil, err
	}
	o.ValueModel = sf.valueModel
	switch sf.riskModel {
	case "auto", "hazard", "heuristic":
	default:
		return nil, usagef("--risk-model %q: want auto, hazard or heuristic", sf.riskModel)
	}
	if sf.riskHorizon < 1 {
		return nil, usagef("--risk-horizon must be 1 or more, got %d", sf.riskHorizon)
	}
	o.RiskModel, o.RiskHorizon = sf.riskModel, sf.riskHorizon
	if o.ValueModel == "sbg" && in.subscribers == "" {
		return nil, usagef("--value-model sbg needs --subscribers (activation and churn dates)")
	}
	if l == nil {
		if l, err = a.load(in, true, false); err != nil {
			return nil, err
		}
	}
	return a.newBase(l, o)
}

// profileBy splits --by.
func (f *segmentFlags) profileBy() []string {
	var out []string
	for _, name := range strings.Split(f.by, ",") {
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func newSegmentCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var sf segmentFlags
	var bf baseFlags
	var summary bool
	var interval float64
	var cf campaignFlags
	var lf langFlag
	cmd := &cobra.Command{
		Use:   "segment -t TRANSACTIONS -s SUBSCRIBERS [--period month] [--as-of DATE] [--views]",
		Short: "Lifecycle stage, value tier, key accounts, stars, risk and action per subscriber",
		Long:  segmentLong,
		Example: "  clv segment -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv\n" +
			"  clv segment -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --views --format markdown",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !(interval >= 0 && interval < 1) {
				return usagef("--interval %v: want a level in [0, 1), e.g. 0.9", interval)
			}
			cat, err := lf.catalog()
			if err != nil {
				return err
			}
			camp, release, err := a.prepareCampaign(&cf)
			if err != nil {
				return err
			}
			defer release()
			l, err := a.segmentLoad(&in, &tf, &bf, &sf)
			if err != nil {
				return err
			}
			base, err := a.segmentBase(&in, &tf, &bf, &sf, l)
			if err != nil {
				return err
			}
			segs, err := base.Segments()
			if err != nil {
				return layerError(err)
			}
			a.notef("value: %s", segs.Description)
			if err := a.writeLists(camp, base, l, in.subscribers); err != nil {
				return err
			}
			extra, err := a.campaignTables(camp, base)
			if err != nil {
				return err
			}
			if summary {
				by, err := segs.ProfileColumns(sf.profileBy())
				if err != nil {
					return layerError(err)
				}
				v := segs.Views(by, sf.top)
				return a.writeResultIn(withTables(segmentSummaryResult(segs, v, sf.top), extra), cat, segmentSummaryTitlesIn(segs, v, sf.top, cat))
			}
			t := segmentTable(segs)
			if interval > 0 {
				vb, err := base.ValueBands(interval, 500, 1)
				if err != nil {
					return layerError(err)
				}
				lo, hi := base.CLVBands(segs, vb)
				t.Columns = append(t.Columns, withDigits(render.Floats("clv_low", lo), 2), withDigits(render.Floats("clv_high", hi), 2))
			}
			return a.writeResultIn(withTables(segmentResult(segs, t), extra), cat, nil)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addFitTimeout(cmd, a)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, "--period, on future value")
	addSegmentFlags(cmd, &sf)
	addBaseFlags(cmd, &bf, withObserved|withGroups|withMargin)
	cmd.Flags().Float64Var(&interval, "interval", 0, "add clv_low and clv_high, the interval of clv at this level (e.g. 0.9) from the parameter uncertainty of the sBG fits (500 seeded draws; sbg value model)")
	addCampaignFlags(cmd, &cf)
	addLangFlag(cmd, &lf, "the stage, tier, action and quadrant names and headings of table and Markdown output")
	cmd.Flags().BoolVar(&summary, "views", false, "print the aggregated views (stage x tier matrix, concentration, profiles, early warning) instead of one row per subscriber")
	aliasFlag(cmd.Flags(), "views", "summary")
	return cmd
}

// segmentTable is the per-subscriber output with its stable columns.
func segmentTable(s *clv.Segments) *render.Table {
	r := s.Result
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
	if ct, ok := s.Attrs["customer_type"]; ok {
		cols = append(cols, render.Strings("customer_type", ct))
	}
	if r.Potential != nil && s.Headroom != nil {
		cols = append(cols, withDigits(render.Floats("potential_value", r.Potential), 2),
			withDigits(render.Floats("headroom", s.Headroom), 2))
	}
	return &render.Table{Name: "subscribers", Title: "Subscribers", Columns: cols}
}
