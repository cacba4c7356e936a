package segment

import (
	"fmt"
	"math"
	"strings"
)

// Basis returns the value at stake for customer i: its CLV, or for a
// churned customer what it would be worth if won back (its run-rate value,
// current value × Annuity). Value at risk is Basis × Risk, and an action
// row's min_value is compared with it.
func (r *Result) Basis(i int) float64 {
	if r.Stage[i] == Churned {
		return math.Max(0, r.Current[i]) * r.Annuity
	}
	return r.CLV[i]
}

// Reason says in a few words why customer i is in its stage and has its
// action: every stage rule of opt.Rules that holds for it (the first one in
// Classify's order decided the stage), a risk at or above opt.RiskThreshold,
// and, with an action table, whether a quadrant row or a min_value threshold
// chose the action. Parts are separated by "; ". Periods are r.Period.
func (r *Result) Reason(i int, opt Options) string {
	rules := opt.Rules
	per := r.Period.String()
	plural := func(k int) string {
		if k == 1 {
			return per
		}
		return per + "s"
	}
	since := int(r.SincePurchase[i])
	never := since < 0
	tenure := int(r.TenurePeriods[i])
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	trend := fmt.Sprintf("spend trend %+.0f%% a %s", 100*r.Trend[i], per)
	switch r.Stage[i] {
	case Churned:
		switch {
		case !never && since >= rules.LapsePeriods:
			add("churned: no purchase for %d %s (lapsed at %d)", since, plural(since), rules.LapsePeriods)
		case never && tenure > rules.LapsePeriods:
			add("churned: no purchase in %d %s since activation", tenure, plural(tenure))
		default:
			add("churned: churn date recorded")
		}
	case Acquisition:
		add("new: tenure %d %s (up to %d)", tenure, plural(tenure), rules.AcquisitionPeriods)
	case Decline:
		var why []string
		if r.Trend[i] <= rules.DeclineSlope+thresholdTol {
			why = append(why, fmt.Sprintf("%s (at or below %+.0f%%)", trend, 100*rules.DeclineSlope))
		}
		if rules.DeclineRecency > 0 && never {
			why = append(why, "no purchase since activation")
		} else if rules.DeclineRecency > 0 && since >= rules.DeclineRecency {
			why = append(why, fmt.Sprintf("no purchase for %d %s", since, plural(since)))
		}
		if r.HasProbability && r.Risk[i] >= opt.RiskThreshold {
			why = append(why, fmt.Sprintf("churn probability %.2f (at or above %.2f)", r.Risk[i], opt.RiskThreshold))
		}
		if len(why) == 0 {
			why = append(why, "falling P(alive)")
		}
		add("decline: %s", strings.Join(why, ", "))
	case Growth:
		add("growth: %s (at or above %+.0f%%)", trend, 100*rules.GrowthSlope)
	default:
		add("maturity: steady spend, %s", trend)
	}
	if r.Stage[i] != Churned && r.Stage[i] != Decline && r.Risk[i] >= opt.RiskThreshold {
		add("risk %.2f (at or above %.2f)", r.Risk[i], opt.RiskThreshold)
	}
	add("%s tier", r.Tiers[r.Tier[i]])
	if t := opt.Actions; t != nil {
		tier := r.Tiers[r.Tier[i]]
		a := t.findIn(r.Stage[i], tier, true, r.Quadrant[i])
		if a != nil {
			add("%s quadrant", r.Quadrant[i])
		} else {
			a = t.find(r.Stage[i], tier)
		}
		if a != nil && r.Basis(i) < a.MinValue {
			add("value %.0f below %g", r.Basis(i), a.MinValue)
		}
	}
	return strings.Join(parts, "; ")
}
