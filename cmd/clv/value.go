package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/render"
)

func init() { register(newValueCmd) }

func newValueCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "value retention|subscribers|migration|curve|potential",
		Short: "Customer lifetime value: closed-form retention, per-subscriber residual and potential value, value curve, recency migration",
		Long: `Customer lifetime value with retention and migration models.

  retention     closed forms for constant margin and retention (Berger & Nasr 1998;
                Gupta & Lehmann's margin multiple), with the per-period cash flows
  subscribers   residual value of every subscriber: margin x discounted expected
                residual lifetime under the sBG model fitted to the base
                (Fader & Hardie 2010)
  migration     recency-state migration model for customers without contracts
                (Dwyer 1989; Berger & Nasr case 5), value per state and per customer
  curve         the value curve over the relationship: spend per subscriber by
                tenure, per plan, smoothed, with the tenure of peak value
  potential     current and potential value per subscriber: the growth part of
                future value along the plan's value curve, and up-sell headroom`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("clv value needs a subcommand: retention, subscribers, migration, curve or potential")
		},
	}
	cmd.AddCommand(newValueRetentionCmd(a), newValueSubscribersCmd(a), newValueMigrationCmd(a), newValueCurveCmd(a), newValuePotentialCmd(a))
	return cmd
}

const valueSubscribersLong = `Residual lifetime value of every subscriber of a contract base.

The shifted-beta-geometric model is fitted as in 'clv retention', one fit per plan by
default (--by COLUMN, also spelled --retention-by, picks another subscriber column;
--by none fits the whole base at once); a group under --min-subscribers, or whose fit
fails, is valued with the pooled fit of the whole base. The observation start is
handled as in 'clv retention' (--observed-from auto|none|DATE). An active subscriber who has completed n tenure periods
(renewals) is worth

  residual_clv = margin x DERL(d | alpha, beta, n)
  DERL = (beta+n)/(alpha+beta+n) x 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d))

(Fader & Hardie 2010): the discounted expected number of future renewals, the next
one undiscounted. retention_next = (beta+n)/(alpha+beta+n) is the probability of the
next renewal. Churned subscribers are listed with 0. The margin per period is the
subscriber's mean amount per --period over the last --margin-window periods up to
--as-of (divided by the tenure periods inside the window, at most --margin-window)
times --margin-rate; or one --margin for everybody.

A group whose sBG parameters grow without bound (churn that does not vary with
tenure) is valued with the constant-retention model instead, DERL = r(1+d)/(1+d-r).
--as-of defaults to the latest activation, churn or transaction date. The same values
(same fits, margins and discount) are the clv of 'clv segment' and the report.

Columns: customer_id, [group,] tenure_periods, retention_next, derl, margin,
residual_clv, status (active or churned; tenure_periods of a churned subscriber is
the period it churned in). The total for the base and the discounted expected
lifetime (DEL) of a new subscriber, DEL = 2F1(1, beta; alpha+beta; 1/(1+d))
periods, times the mean margin of the active subscribers (the value of an
acquisition), are in the table groups (group, subscribers, active, alpha, beta,
constant_retention, del, new_subscriber_value, total_residual_clv, note) and on
stderr. Tables: subscribers (the main one) and groups.`

func newValueSubscribersCmd(a *app) *cobra.Command {
	var o retentionFlags
	var window int
	var rate, margin, interval float64
	cmd := &cobra.Command{
		Use:   "subscribers -s SUBSCRIBERS -t TRANSACTIONS [--period month] [--discount 0.01] [--by COLUMN]",
		Short: "Residual CLV per subscriber: margin x discounted expected residual lifetime (sBG)",
		Long:  valueSubscribersLong,
		Example: "  clv value subscribers -s examples/telecom/subscribers.csv -t examples/telecom/transactions.csv \\\n" +
			"      --period month --discount 0.01 --by plan",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDiscount(o.tf.discount); err != nil {
				return err
			}
			if window < 1 {
				return usagef("--margin-window must be 1 or more, got %d", window)
			}
			if !finite(rate, margin) {
				return usagef("--margin-rate and --margin must be finite numbers")
			}
			if !(interval >= 0 && interval < 1) {
				return usagef("--interval %v: want a level in [0, 1), e.g. 0.9", interval)
			}
			constant := cmd.Flags().Changed("margin")
			if !constant && o.in.transactions == "" {
				return usagef("missing --transactions FILE (or give one --margin for every subscriber)")
			}
			base, err := a.loadBase(&o, !constant, func(opt *clv.Options) {
				opt.MarginWindow, opt.MarginRate = window, rate
				opt.Margin, opt.MarginSet = margin, constant
			})
			if err != nil {
				return err
			}
			if base.by == "" && base.ret.Groups[0].Model == nil {
				return base.ret.Groups[0].Err
			}
			vals, err := base.base.SubscriberValues()
			if err != nil {
				return layerError(err)
			}
			var bands *clv.ValueBands
			if interval > 0 {
				if bands, err = base.base.ValueBands(interval, 500, 1); err != nil {
					return layerError(err)
				}
				a.notef("%g%% interval of the total residual value: %.2f to %.2f (parameter uncertainty of the sBG fits, 500 seeded draws)", 100*interval, bands.TotalLow, bands.TotalHigh)
			}
			return a.writeValueSubscribers(base, vals, bands)
		},
	}
	addInputFlags(cmd, &o.in, withSubscribers|withTransactions)
	addRetentionFlags(cmd, &o, "retention-by")
	addFitTimeout(cmd, a)
	addDiscount(cmd, &o.tf, "tenure period")
	cmd.Flags().IntVar(&window, "margin-window", clv.DefaultMarginWindow, "periods of transactions averaged for each subscriber's margin")
	cmd.Flags().Float64Var(&rate, "margin-rate", 1, "margin as a share of revenue (1 = revenue)")
	cmd.Flags().Float64Var(&margin, "margin", 0, "one margin per period for every subscriber instead of --transactions")
	cmd.Flags().Float64Var(&interval, "interval", 0, "add residual_clv_low and residual_clv_high, the interval at this level (e.g. 0.9) from the parameter uncertainty of the sBG fits (500 seeded draws)")
	return cmd
}

// groupValue is the value summary of one retention group.
type groupValue struct {
	SBG                     sbgSummary
	DEL, NewSubscriberValue *float64
	Subscribers, Active     int
	TotalResidualCLV        float64
}

// writeValueSubscribers writes the per-subscriber residual value
// (subscribers, main) and the per-group summary (groups).
func (a *app) writeValueSubscribers(b *subscriberBase, v *clv.Values, bands *clv.ValueBands) error {
	s := b.base.Subs
	d := v.Discount
	grouped := b.by != ""
	var ids, gnames, status []string
	var tenure []int32
	var retNext, derl, margin, value, low, high []float64
	total := 0.0
	var gt tableBuilder
	for gi := range b.ret.Groups {
		g := &b.ret.Groups[gi]
		gv := groupValue{}
		gv.Subscribers = len(g.Rows)
		gv.SBG = sbgOf(g)
		if g.Model != nil {
			gv.TotalResidualCLV = v.GroupTotal[gi]
			if v.DELErr[gi] == nil {
				gv.DEL = ptr(v.DEL[gi])
			} else {
				a.notef("DEL of %s: %v", b.ret.Label(g), v.DELErr[gi])
			}
		}
		meanMargin, active := 0.0, 0
		for _, i := range g.Rows {
			st := b.ret.Tenures.Status[i]
			ids = append(ids, s.ID[i])
			if grouped {
				gnames = append(gnames, g.Name)
			}
			status = append(status, st.String())
			tenure = append(tenure, v.Tenure[i])
			margin = append(margin, v.Margin[i])
			if st == retention.Active {
				active++
				meanMargin += v.Margin[i]
			}
			retNext = append(retNext, v.RetentionNext[i])
			derl = append(derl, v.DERL[i])
			value = append(value, v.Value[i])
			if bands != nil {
				low, high = append(low, bands.Low[i]), append(high, bands.High[i])
			}
		}
		gv.Active = active
		if active > 0 && gv.DEL != nil {
			gv.NewSubscriberValue = ptr(*gv.DEL * meanMargin / float64(active))
		}
		total += gv.TotalResidualCLV
		if gv.DEL != nil {
			nv := ""
			if gv.NewSubscriberValue != nil {
				nv = fmt.Sprintf(", new subscriber value %.2f", *gv.NewSubscriberValue)
			}
			label := "base"
			if grouped {
				label = groupLabel(b.by, g.Name)
			}
			a.notef("%s: DEL %.4f periods%s, residual CLV %.2f", label, *gv.DEL, nv, gv.TotalResidualCLV)
		}
		gt.str("group", g.Name, grouped)
		gt.num("subscribers", float64(gv.Subscribers))
		gt.num("active", float64(gv.Active))
		gt.opt("alpha", gv.SBG.Alpha)
		gt.opt("beta", gv.SBG.Beta)
		gt.opt("constant_retention", gv.SBG.ConstantRetention)
		gt.opt("del", gv.DEL)
		gt.opt("new_subscriber_value", gv.NewSubscriberValue)
		gt.num("total_residual_clv", gv.TotalResidualCLV)
		gt.str("note", gv.SBG.Error, true)
		gt.end()
	}
	cols := []render.Column{render.Strings("customer_id", ids)}
	if grouped {
		cols = append(cols, render.Strings("group", gnames))
	}
	cols = append(cols,
		render.Int32s("tenure_periods", tenure),
		render.Floats("retention_next", retNext),
		render.Floats("derl", derl),
		render.Floats("margin", margin),
		render.Floats("residual_clv", value),
		render.Strings("status", status),
	)
	if bands != nil {
		cols = append(cols, render.Floats("residual_clv_low", low), render.Floats("residual_clv_high", high))
	}
	a.notef("total residual CLV %.2f over %d subscribers (discount %g per %s, as of %s)", total, len(ids), d, b.period, b.asOf)
	r := &render.Result{Name: "value subscribers", Title: fmt.Sprintf("Residual subscriber value, as of %s", b.asOf), Main: "subscribers"}
	r.Add("calendar_period", b.period.String()).Add("as_of", b.asOf).AddUnit("discount", d, "per "+b.period.String()).
		Add("subscribers", len(ids)).Add("total_residual_clv", total)
	if grouped {
		r.Add("group_by", b.by)
	}
	if bands != nil {
		r.Add("interval", bands.Level)
	}
	r.AddTable(&render.Table{Name: "subscribers", Title: "Subscribers", Columns: cols})
	r.AddTable(gt.table("groups", "Retention groups"))
	return a.writeResult(r)
}

func groupLabel(by, name string) string {
	if by == "" {
		return "base"
	}
	return by + "=" + name
}

const valueMigrationLong = `Migration model for customers without contracts (Dwyer 1989; Berger & Nasr 1998,
case 5). In every --period a customer who has bought before is in recency state j =
1..k (--recency-states k; the last purchase was j periods ago, 1 = in this period) or lapsed
(more than k periods without a purchase, treated as lost for good). From state j the
customer buys in the next period with probability p_j, estimated from the
customer x period panel as purchases / at_risk over all consecutive period pairs; a
period counts as a purchase when the customer's spend in it is positive. A period that
is incomplete at --as-of is left out.

The chain (computed by the markov package) gives the expected discounted number of
future purchase periods E_j of a customer now in state j,

  E_j = [p_j (1 + E_1) + (1 - p_j) E_(j+1)] / (1 + d),   E_lapsed = 0,

over an infinite horizon or --value-horizon periods. The value of a state is E_j times the
mean margin per purchase period (--margin-rate x spend); a customer's value is E_j of
its current state times its own mean margin per purchase period.

Tables: customers (the main one: customer_id, state, margin, value) and states
(state, customers now, at_risk, purchases, purchase_probability, future_purchases,
value).`

func newValueMigrationCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var opt retention.MigrationOptions
	cmd := &cobra.Command{
		Use:     "migration -t TRANSACTIONS [--period month] [--recency-states 4] [--margin-rate 1] [--discount d]",
		Short:   "Recency-state migration model: purchase probability and value per recency state and customer",
		Long:    valueMigrationLong,
		Example: "  clv value migration -t examples/cdnow/cdnow_sample.csv --period month --recency-states 4 --discount 0.01",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			period, err := tf.periodValue()
			if err != nil {
				return err
			}
			asOf, err := tf.asOfDay()
			if err != nil {
				return err
			}
			if opt.States < 1 {
				return usagef("--recency-states must be 1 or more, got %d", opt.States)
			}
			if opt.Horizon < 0 {
				return usagef("--value-horizon must be 0 (infinite) or more, got %d", opt.Horizon)
			}
			tf.resolveDiscount(float64(period.Months()))
			if err := checkDiscount(tf.discount); err != nil {
				return err
			}
			if opt.Horizon == 0 && tf.discount == 0 {
				return usagef("--discount 0 with an infinite horizon (--value-horizon 0) gives an infinite value; use a discount rate > 0 or a finite --value-horizon")
			}
			if !finite(opt.MarginRate) {
				return usagef("--margin-rate must be a finite number")
			}
			opt.Discount = tf.discount
			l, err := a.load(&in, in.panel == "", false)
			if err != nil {
				return err
			}
			panelEnd, err := checkPanelPeriods(&in, l, period)
			if err != nil {
				return err
			}
			if asOf == dataset.NoDay {
				asOf = panelEnd
			}
			bo := clv.DefaultOptions()
			bo.Note = func(s string) { a.notef("%s", s) }
			bo.AsOf, bo.Period = asOf, period
			base, err := a.newBase(l, bo)
			if err != nil {
				return err
			}
			m, panel, opt, err := base.Migration(opt)
			if err != nil {
				return err
			}
			if m.Comebacks > 0 {
				a.notef("%d lapsed customer-periods were followed by a purchase; the model treats lapsed customers as lost", m.Comebacks)
			}
			return a.writeMigration(l.tx, panel, m, opt, period)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withPanel)
	addAsOf(cmd, &tf)
	addFitTimeout(cmd, a)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, "--period")
	cmd.Flags().IntVar(&opt.States, "recency-states", 4, "recency states k before a customer counts as lapsed")
	aliasFlag(cmd.Flags(), "recency-states", "states")
	cmd.Flags().Float64Var(&opt.MarginRate, "margin-rate", 1, "margin as a share of spend (1 = revenue)")
	cmd.Flags().IntVar(&opt.Horizon, "value-horizon", 0, "future --period periods valued; 0 = infinite")
	aliasFlag(cmd.Flags(), "value-horizon", "horizon")
	return cmd
}

// writeMigration writes the recency-migration model: customers (main) and
// states.
func (a *app) writeMigration(tx *dataset.Transactions, p *dataset.Panel, m *retention.Migration, opt retention.MigrationOptions, period dataset.Period) error {
	last := p.Period.End(p.First + opt.Periods - 1)
	k := len(m.States)
	st := struct {
		cust, risk, buys    []int64
		prob, future, value []float64
	}{make([]int64, k), make([]int64, k), make([]int64, k), make([]float64, k), make([]float64, k), make([]float64, k)}
	for j := range m.States {
		st.cust[j], st.risk[j], st.buys[j] = m.Customers[j], m.AtRisk[j], m.Purchases[j]
		st.prob[j], st.future[j], st.value[j] = m.Probability[j], m.FuturePurchases[j], m.Value[j]
	}
	states := &render.Table{Name: "states", Title: "Recency states", Columns: []render.Column{
		render.Strings("state", m.States),
		render.Ints("customers", st.cust),
		render.Ints("at_risk", st.risk),
		render.Ints("purchases", st.buys),
		render.Floats("purchase_probability", st.prob),
		render.Floats("future_purchases", st.future),
		render.Floats("value", st.value),
	}}
	var ids, cstate []string
	var cm, cv []float64
	for c, s := range m.CustomerState {
		if s < 0 {
			continue
		}
		ids = append(ids, tx.IDs[c])
		cstate = append(cstate, m.States[s])
		cm = append(cm, m.CustomerMargin[c])
		cv = append(cv, m.CustomerValue[c])
	}
	customers := &render.Table{Name: "customers", Title: "Customers", Columns: []render.Column{
		render.Strings("customer_id", ids),
		render.Strings("state", cstate),
		render.Floats("margin", cm),
		render.Floats("value", cv),
	}}
	r := &render.Result{Name: "value migration", Title: fmt.Sprintf("Migration model by recency, %ss up to %s", period, last), Main: "customers",
		Tables: []*render.Table{customers, states}}
	r.Add("calendar_period", period.String()).Add("as_of", last).AddUnit("discount", opt.Discount, "per "+period.String())
	if opt.Horizon > 0 {
		r.AddUnit("value_horizon", opt.Horizon, period.String())
	} else {
		r.AddUnit("value_horizon", nil, period.String())
	}
	r.Add("mean_margin", m.MeanMargin)
	return a.writeResult(r)
}
