package main

import (
	"github.com/clvkit/clv/io/render"
)

// markovValueMeta adds the valuation settings: discount rate per period and
// the value horizon (null: infinite).
func markovValueMeta(r *render.Result, discount float64, period string, horizonOn bool, horizon int) {
	r.AddUnit("discount", discount, "per "+period)
	if horizonOn {
		r.AddUnit("value_horizon", horizon, period)
	} else {
		r.AddUnit("value_horizon", nil, period)
	}
}

// markovResult lays out a chain: states (main: reward, value, expected
// periods to absorption, long-run share and, for an estimated chain, the
// customers, share, customer periods and mean spend), transitions (long:
// from, to, probability and, when estimated, count) and, with a forecast,
// the state mix per future period (long: t, period, state, share). Slices
// that are nil are left out.
func markovResult(states []string, current, obs []int64, meanSpend, rewards, value, toAbs []float64, sure []bool,
	stationary []float64, P [][]float64, counts [][]int64, totals []int64, labels []string, forecast [][]float64) *render.Result {
	n := len(states)
	st := &render.Table{Name: "states", Title: "States", Columns: []render.Column{render.Strings("state", states)}}
	if current != nil {
		share := make([]float64, n)
		if tot := float64(markovSum(current)); tot > 0 {
			for i, c := range current {
				share[i] = float64(c) / tot
			}
		}
		st.Columns = append(st.Columns, render.Ints("customers", current), render.Floats("share", share).WithDigits(3),
			render.Ints("customer_periods", obs), render.Floats("mean_spend", meanSpend).WithDigits(2))
	}
	st.Columns = append(st.Columns, render.Floats("reward", rewards).WithDigits(2), render.Floats("value", value).WithDigits(2))
	if toAbs != nil {
		null := make([]bool, n)
		for i := range null {
			null[i] = !sure[i]
		}
		st.Columns = append(st.Columns, render.Floats("expected_periods_to_absorption", toAbs).WithNull(null))
	}
	if stationary != nil {
		st.Columns = append(st.Columns, render.Floats("long_run_share", stationary).WithDigits(4))
	}
	var from, to []string
	var prob []float64
	var cnt, tot []int64
	for i := range states {
		for j := range states {
			from, to, prob = append(from, states[i]), append(to, states[j]), append(prob, P[i][j])
			if counts != nil {
				cnt, tot = append(cnt, counts[i][j]), append(tot, totals[i])
			}
		}
	}
	tr := &render.Table{Name: "transitions", Title: "Transition probabilities (one row per from, to)", Columns: []render.Column{
		render.Strings("from", from), render.Strings("to", to), render.Floats("probability", prob).WithDigits(4)}}
	if counts != nil {
		tr.Columns = append(tr.Columns, render.Ints("count", cnt), render.Ints("from_count", tot))
	}
	r := &render.Result{Name: "markov", Main: "states", Tables: []*render.Table{st, tr}}
	if forecast != nil {
		var t []int64
		var period, state []string
		var share []float64
		for k := range forecast {
			for j, s := range states {
				t, period, state, share = append(t, int64(k)), append(period, labels[k]), append(state, s), append(share, forecast[k][j])
			}
		}
		r.AddTable(&render.Table{Name: "forecast", Title: "Forecast of the state mix (customers in the chain in the last period)", Columns: []render.Column{
			render.Ints("t", t), render.Strings("period_label", period), render.Strings("state", state), render.Floats("share", share).WithDigits(4)}})
	}
	return r
}
