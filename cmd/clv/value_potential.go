package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/render"
)

const valuePotentialLong = `Current and potential value of every active subscriber.

  current_value    margin per --period at today's run rate: the mean revenue of the last
                   --margin-window periods x --margin-rate (the margin of 'clv value
                   subscribers')
  future_value     the residual value at that run rate: current_value x DERL under the
                   sBG model of the subscriber's --retention-by group (default plan), the
                   residual_clv of 'clv value subscribers' and the clv of 'clv segment'
  potential_value  the growth part: the residual value when spend follows the group's
                   within-subscriber value curve ('clv value curve') from the current
                   tenure, at the subscriber's own level, minus future_value. The level
                   is the subscriber's spend relative to the curve over its observed
                   periods, shrunk towards the group by Buhlmann-Straub credibility
                   n/(n+k) (n: observed periods weighted by the curve; k estimated per
                   group as within-subscriber / between-subscriber variance; printed
                   with the groups). Negative when the curve and the level point below
                   today's run rate.
  headroom         up-sell headroom per --period: the group's 75th spend percentile at
                   the subscriber's tenure minus its run-rate spend (>= 0)

The curve counts calendar periods and the run rate anniversary periods; with --period
year the first, partial year makes the two disagree, and potential value takes up the
difference: use month (the default) or quarter.

Also: customer_id, group (with groups), tenure (periods since the activation period),
level (relative to the curve), credibility. Discounting, margin window and retention
fits are those of 'clv value subscribers'. 'clv segment' splits its quadrants on
current_value x potential_value: potentials (low current, high potential) is the
improvement type the default action table gives a development plan.
Tables: subscribers (the main one) and groups (group, k, subscribers, current_value,
future_value, potential_value, headroom).`

func newValuePotentialCmd(a *app) *cobra.Command {
	var o retentionFlags
	var window int
	var rate float64
	cmd := &cobra.Command{
		Use:     "potential -s SUBSCRIBERS -t TRANSACTIONS [--period month] [--discount 0.01] [--retention-by plan]",
		Short:   "Current, future (run-rate) and potential (growth) value per subscriber, with up-sell headroom",
		Long:    valuePotentialLong,
		Example: "  clv value potential -s examples/telecom/subscribers.csv -t examples/telecom/transactions.csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDiscount(o.tf.discount); err != nil {
				return err
			}
			if window < 1 {
				return usagef("--margin-window must be 1 or more, got %d", window)
			}
			if !finite(rate) {
				return usagef("--margin-rate must be a finite number")
			}
			base, err := a.loadBase(&o, true, func(opt *clv.Options) { opt.MarginWindow, opt.MarginRate = window, rate })
			if err != nil {
				return err
			}
			p, err := base.base.Potential()
			if err != nil {
				return layerError(err)
			}
			return a.writeValuePotential(base, p)
		},
	}
	addInputFlags(cmd, &o.in, withSubscribers|withTransactions)
	addRetentionFlags(cmd, &o, "retention-by")
	addDiscount(cmd, &o.tf, "tenure period")
	cmd.Flags().IntVar(&window, "margin-window", clv.DefaultMarginWindow, "periods of transactions averaged for each subscriber's margin")
	cmd.Flags().Float64Var(&rate, "margin-rate", 1, "margin as a share of revenue (1 = revenue)")
	return cmd
}

// potentialGroup sums the potential value of one retention group.
type potentialGroup struct {
	K                                                   float64
	Subscribers                                         int
	CurrentValue, FutureValue, PotentialValue, Headroom float64
}

// writeValuePotential writes the per-subscriber potential (subscribers,
// main) and the per-group totals (groups).
func (a *app) writeValuePotential(b *subscriberBase, p *clv.Potential) error {
	s := b.base.Subs
	grouped := b.by != ""
	var ids, gnames []string
	var tenure []int32
	var cur, fut, pot, head, level, cred []float64
	var gt tableBuilder
	var notes []string
	for gi := range b.ret.Groups {
		g := &b.ret.Groups[gi]
		gj := potentialGroup{K: p.K[gi]}
		for _, i := range g.Rows {
			if !p.Valued[i] {
				continue
			}
			gj.Subscribers++
			gj.CurrentValue += p.Current[i]
			gj.FutureValue += p.Future[i]
			gj.PotentialValue += p.Value[i]
			gj.Headroom += p.Headroom[i]
			ids = append(ids, s.ID[i])
			if grouped {
				gnames = append(gnames, g.Name)
			}
			tenure = append(tenure, p.Tenure[i])
			cur, fut, pot = append(cur, p.Current[i]), append(fut, p.Future[i]), append(pot, p.Value[i])
			head, level, cred = append(head, p.Headroom[i]), append(level, p.Level[i]), append(cred, p.Credibility[i])
		}
		gt.str("group", g.Name, grouped)
		gt.num("k", gj.K)
		gt.num("subscribers", float64(gj.Subscribers))
		gt.num("current_value", gj.CurrentValue)
		gt.num("future_value", gj.FutureValue)
		gt.num("potential_value", gj.PotentialValue)
		gt.num("headroom", gj.Headroom)
		gt.end()
		notes = append(notes, fmt.Sprintf("%s: k %.4g, %d subscribers, current %.2f, future %.2f, potential %.2f, headroom %.2f per %s",
			groupLabel(b.by, g.Name), gj.K, gj.Subscribers, gj.CurrentValue, gj.FutureValue, gj.PotentialValue, gj.Headroom, b.period))
	}
	cols := []render.Column{render.Strings("customer_id", ids)}
	if grouped {
		cols = append(cols, render.Strings("group", gnames))
	}
	cols = append(cols,
		render.Int32s("tenure", tenure),
		withDigits(render.Floats("current_value", cur), 2),
		withDigits(render.Floats("future_value", fut), 2),
		withDigits(render.Floats("potential_value", pot), 2),
		withDigits(render.Floats("headroom", head), 2),
		withDigits(render.Floats("level", level), 4),
		withDigits(render.Floats("credibility", cred), 4),
	)
	a.notef("%d active subscribers as of %s: current value %.2f per %s, future value %.2f, potential value %.2f, headroom %.2f per %s",
		len(ids), b.asOf, p.TotalCurrent, b.period, p.TotalFuture, p.TotalPotential, p.TotalHeadroom, b.period)
	for _, n := range notes {
		a.notef("%s", n)
	}
	r := &render.Result{Name: "value potential", Title: fmt.Sprintf("Current and potential value, as of %s", b.asOf), Main: "subscribers"}
	r.Add("calendar_period", b.period.String()).Add("as_of", b.asOf).AddUnit("discount", b.base.Options().Discount, "per "+b.period.String()).
		Add("value_description", p.Description).Add("subscribers", len(ids)).Add("total_current_value", p.TotalCurrent).
		Add("total_future_value", p.TotalFuture).Add("total_potential_value", p.TotalPotential).Add("total_headroom", p.TotalHeadroom)
	if grouped {
		r.Add("group_by", b.by)
	}
	r.AddTable(&render.Table{Name: "subscribers", Title: "Subscribers", Columns: cols})
	r.AddTable(gt.table("groups", "Retention groups"))
	return a.writeResult(r)
}
