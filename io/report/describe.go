package report

import (
	"math"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/lang"
)

// The analysis layer describes its value and risk models in English
// (Segments.Description, RiskDescription, Truncation.Evidence). For another
// language the report says the same from the settings and fits behind them.

// valueDescription says what clv means.
func (b *builder) valueDescription() string { return ValueDescription(b.base, b.segs, b.l) }

// riskDescription says what the risk score means.
func (b *builder) riskDescription() string { return RiskDescription(b.base, b.segs, b.l) }

// ValueDescription says what the segments' clv means, in the language of l:
// segs.Description in English, else the same said from the settings and
// fits behind it.
func ValueDescription(base *clv.Base, segs *clv.Segments, l *lang.Catalog) string {
	if !l.Chinese() {
		return segs.Description
	}
	b := &builder{base: base, segs: segs, l: l}
	o := b.base.Options()
	p := b.segs.Period.String()
	disc := 100 * o.Discount
	var desc string
	switch b.segs.Model {
	case "sbg":
		margin := b.l.T("desc.margin.window", b.unit(p), o.MarginWindow, b.units(p))
		if o.MarginSet {
			margin = b.l.T("desc.margin.set", o.Margin, b.unit(p))
		}
		desc = b.l.T("desc.sbg", margin, disc, b.unit(p))
		if ret, err := b.base.Retention(); err == nil {
			if ret.By == "" {
				if f := ret.Pool.Fit; f != nil {
					desc += b.l.T("desc.sbg.fit", f.Alpha, f.AlphaSE, f.Beta, f.BetaSE)
				}
			} else {
				desc += b.l.T("desc.sbg.by", b.attr(ret.By))
				var pooled []string
				for i := range ret.Groups {
					if ret.Groups[i].Pooled {
						pooled = append(pooled, ret.Groups[i].Name)
					}
				}
				if len(pooled) > 0 {
					desc += b.l.T("desc.sbg.pooled", strings.Join(pooled, b.l.T("list.sep")), ret.MinGroup)
				}
			}
		}
	case "bgnbd":
		desc = b.l.T("desc.bgnbd", b.segs.Options.Horizon*float64(b.segs.Period.Months()), disc, b.unit(p))
	default:
		return b.l.T("desc.runrate", b.unit(p), b.segs.Options.Horizon, b.units(p), disc)
	}
	if b.segs.Outside > 0 {
		desc += b.l.T("desc.outside", b.count(b.segs.Outside))
	}
	return desc
}

// RiskDescription says what the segments' risk score means, in the
// language of l (segs.RiskDescription in English).
func RiskDescription(base *clv.Base, segs *clv.Segments, l *lang.Catalog) string {
	if !l.Chinese() {
		return segs.RiskDescription
	}
	b := &builder{base: base, segs: segs, l: l}
	p := b.segs.Period.String()
	if h := b.segs.Hazard; h != nil {
		var mean float64
		for _, v := range h.Probability {
			mean += v
		}
		if len(h.Probability) > 0 {
			mean /= float64(len(h.Probability))
		}
		return b.l.T("desc.risk.hazard", b.base.Options().RiskHorizon, b.units(p), b.segs.Options.RiskThreshold, mean)
	}
	if b.segs.Model == "bgnbd" {
		return b.l.T("desc.risk.palive")
	}
	return b.l.T("desc.risk.heuristic", b.units(p), b.segs.Options.Rules.LapsePeriods, 2*math.Abs(b.segs.Options.Rules.DeclineSlope), b.unit(p))
}

// evidence translates the truncation evidence ("first transaction DAY",
// "earliest churn DAY, earliest activation DAY").
func (b *builder) evidence(s string) string {
	if !b.l.Chinese() {
		return s
	}
	return strings.NewReplacer("first transaction ", b.l.T("evidence.firsttx"), "earliest churn ", b.l.T("evidence.firstchurn"),
		"earliest activation ", b.l.T("evidence.firstact"), ", ", b.l.T("list.sep")).Replace(s)
}

// attr is the display name of an attribute column (plan: 套餐).
func (b *builder) attr(name string) string { return b.l.Label("attr", name) }
