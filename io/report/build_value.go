package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

func (b *builder) valueSection(v *clv.Views) (Section, error) {
	r := b.segs.Result
	sec := Section{Title: titleValue}
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
		Paragraph("Value tiers split the active subscribers into %d equal groups by future value (clv: %s). Churned subscribers have no future value; they are placed in the tier their spending level would give them, for win-back decisions.", k, b.segs.Description),
		Block{Table: &render.Table{Title: "Value tiers", Columns: []render.Column{
			render.Strings("tier", r.Tiers), render.Ints("subscribers", subs), render.Ints("active", living),
			render.Floats("revenue", rev), render.Floats("revenue_share", share),
			render.Floats("mean_clv", mean), render.Floats("lowest_clv", clvMin), render.Floats("highest_clv", clvMax),
		}}})

	// Key accounts and VIP.
	vipText := "no VIP thresholds set"
	if len(b.segs.Options.VIP) > 0 {
		var parts []string
		for lvl, th := range b.segs.Options.VIP {
			parts = append(parts, fmt.Sprintf("VIP %d (≥ %s a month): %s", lvl+1, money(th), count(v.Key.VIP[fmt.Sprintf("vip%d", lvl+1)])))
		}
		vipText = strings.Join(parts, "; ")
	}
	sec.Blocks = append(sec.Blocks, Paragraph("**Key accounts:** the %s largest subscribers by revenue carry %s of all revenue (target %s). %s.",
		count(v.Key.Accounts), pct(v.Key.RevenueShare), pct(b.segs.Options.KeyShare), vipText))
	// Key account list (up to 15).
	idx := make([]int, 0, v.Key.Accounts)
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
		ct := b.segs.Attrs["customer_type"]
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
		sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: title, Columns: cols}})
	}

	// Concentration and Lorenz curve.
	c := v.Concentration
	sec.Blocks = append(sec.Blocks, Block{Figures: []Figure{
		{Label: "top 1% of subscribers", Value: pct(c.TopShare[0]), Detail: "of revenue"},
		{Label: "top 5%", Value: pct(c.TopShare[1]), Detail: "of revenue"},
		{Label: "top 20%", Value: pct(c.TopShare[2]), Detail: "of revenue"},
		{Label: "Gini coefficient", Value: fmt.Sprintf("%.3f", c.Gini), Detail: "0 = everyone spends the same"},
	}})
	x := make([]float64, len(c.Lorenz))
	y := make([]float64, len(c.Lorenz))
	for j, p := range c.Lorenz {
		x[j], y[j] = p[0], p[1]
	}
	lc := &chart.LineChart{Title: "Lorenz curve of revenue", XLabel: "subscribers, smallest revenue first", YLabel: "share of revenue",
		XPercent: true, YPercent: true, XMin: 0, XMax: 1, YMin: 0, YMax: 1, Width: 480, Height: 400, LegendLeft: true,
		Series: []chart.Series{{Name: "revenue", X: x, Y: y}, {Name: "equal revenue", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true}}}
	svg, err := lc.SVG()
	if err != nil {
		return sec, err
	}
	sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: "The further the curve sags below the diagonal, the more revenue is concentrated in few subscribers",
		Alt: fmt.Sprintf("Lorenz curve; the top 20%% of subscribers hold %s of revenue", pct(c.TopShare[2])), SVG: svg}})

	sec.Blocks = append(sec.Blocks, b.potentialBlocks()...)

	for _, name := range b.v.ProfileBy {
		t := ProfileTable(name, v.Profiles[name])
		t.Title = "Profile by " + strings.ReplaceAll(name, "_", " ")
		sec.Blocks = append(sec.Blocks, Block{Table: t})
	}
	return sec, nil
}

// matrixSection: stage × tier counts, value and actions.
func (b *builder) matrixSection(v *clv.Views) Section {
	r := b.segs.Result
	sec := Section{Title: titleMatrix}
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
			m := v.Matrix[s*k+t]
			cnt[s] = int64(m.Subscribers)
			totals[s] += cnt[s]
			val[s] = m.TotalCLV
			if m.Stage == "churned" {
				val[s] = m.Revenue
			}
			act[s] = m.Action
			if a := b.segs.Options.Actions.Cell(segment.Stages[s], r.Tiers[t]); a != nil && a.MinValue > 0 {
				act[s] = fmt.Sprintf("%s if worth ≥ %s", a.Name, money(a.MinValue))
			}
		}
		countCols = append(countCols, render.Ints(r.Tiers[t], cnt))
		valueCols = append(valueCols, digits(render.Floats(r.Tiers[t], val), 0))
		actionCols = append(actionCols, render.Strings(r.Tiers[t], act))
	}
	countCols = append(countCols, render.Ints("total", totals))
	sec.Blocks = append(sec.Blocks,
		Block{Table: &render.Table{Title: "Subscribers", Columns: countCols}},
		Block{Table: &render.Table{Title: "Total future value (churned: revenue in the window)", Columns: valueCols}},
		Block{Table: &render.Table{Title: "Action", Columns: actionCols}},
	)
	// Stage distribution by tier as a bar chart.
	bc := &chart.BarChart{Title: "Subscribers per lifecycle stage and value tier", Labels: stages, YLabel: "subscribers", LegendLeft: true}
	for t := 0; t < k && t < 6; t++ {
		y := make([]float64, segment.NumStages)
		for s := range y {
			y[s] = float64(v.Matrix[s*k+t].Subscribers)
		}
		bc.Groups = append(bc.Groups, chart.Series{Name: r.Tiers[t], Y: y})
	}
	if k <= 6 {
		if svg, err := bc.SVG(); err == nil {
			sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: "Subscribers per stage, one bar per value tier", Alt: "bar chart of subscribers per stage and tier", SVG: svg}})
		}
	}
	// Descriptions of the actions used.
	seen := map[string]bool{}
	var lines []string
	if b.segs.Options.Actions != nil {
		for _, st := range segment.Stages {
			for _, tier := range r.Tiers {
				a := b.segs.Options.Actions.Cell(st, tier)
				if a == nil || seen[a.Name] || a.Description == "" {
					continue
				}
				seen[a.Name] = true
				line := fmt.Sprintf("- **%s** — %s.", a.Name, strings.TrimSuffix(a.Description, "."))
				if a.MinValue > 0 {
					line += fmt.Sprintf(" Only where the subscriber is worth at least %s (for the churned: current value × %g %ss, what a win-back would recover); otherwise **%s**.",
						money(a.MinValue), b.segs.Options.Horizon, r.Period, a.Otherwise)
				}
				lines = append(lines, line)
			}
		}
	}
	if len(lines) > 0 {
		sec.Blocks = append(sec.Blocks, Block{Text: strings.Join(lines, "\n")})
	}
	return sec
}

// warningSection: the call list.
func (b *builder) warningSection(v *clv.Views, top int) Section {
	sec := Section{Title: titleWarning}
	if len(v.Warning) == 0 {
		sec.Blocks = append(sec.Blocks, Paragraph("No active subscriber is in decline or at a risk of %.2f or more.", b.segs.Options.RiskThreshold))
		return sec
	}
	_, withType := b.segs.Attrs["customer_type"]
	t := WarningTable(v, withType)
	t.Title = fmt.Sprintf("Top %d by value at risk", len(v.Warning))
	sec.Blocks = append(sec.Blocks,
		Paragraph("Active subscribers in decline, or with a risk score of %.2f or more, ranked by value at risk = future value × risk. The full list is `clv segment --summary --top 0`.", b.segs.Options.RiskThreshold),
		Block{Table: t},
		Block{Note: b.riskNote()},
	)
	return sec
}

// potentialBlocks: current and potential value, and the improvement type
// (the potentials quadrant), when the segments have potential values.
func (b *builder) potentialBlocks() []Block {
	r := b.segs.Result
	if r.Potential == nil {
		return nil
	}
	rows := b.segs.Quadrants()
	n := len(rows)
	name, subs := make([]string, n), make([]int64, n)
	cur, fut, pot, head := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for k, q := range rows {
		name[k], subs[k] = q.Quadrant.String(), int64(q.Subscribers)
		cur[k], fut[k], pot[k], head[k] = q.Current, q.CLV, q.Potential, q.Headroom
	}
	imp := rows[segment.Potentials]
	action := ""
	if t := b.segs.Options.Actions; t != nil {
		if a := t.QuadrantRows(segment.Potentials); len(a) > 0 {
			action = fmt.Sprintf(" The action table gives them **%s**.", a[0].Name)
		}
	}
	p := r.Period.String()
	blocks := b.curveBlocks()
	return append(blocks, []Block{
		Paragraph("**Current and potential value.** Customer value is current value plus potential value: potential value is what the subscriber's plan value curve (spend by tenure, `clv value curve`) adds to the future value at today's run rate, at the subscriber's own level (`clv value potential`). "+
			"Quadrants split current × potential value at their medians over the active subscribers. **%s improvement-type subscribers** (low value now, high potential) spend %s a %s together, are worth %s at today's run rate and %s more along their plan's curve, with up-sell headroom of %s a %s.%s",
			count(imp.Subscribers), money(imp.Current), p, money(imp.CLV), money(imp.Potential), money(imp.Headroom), p, action),
		{Table: &render.Table{Title: "Current and potential value by quadrant (active subscribers)", Columns: []render.Column{
			render.Strings("quadrant", name), render.Ints("subscribers", subs),
			digits(render.Floats("current_value", cur), 0), digits(render.Floats("future_value", fut), 0),
			digits(render.Floats("potential_value", pot), 0), digits(render.Floats("headroom", head), 0),
		}}},
	}...)
}

// curveBlocks: the value curve over the relationship per retention group
// (the curves potential value follows; clv value curve), with where each
// peaks among tenures observed for at least minCurveSubscribers subscribers.
func (b *builder) curveBlocks() []Block {
	const minCurveSubscribers = 30
	v, err := b.base.ValueCurves(b.base.RetentionBy())
	if err != nil {
		return []Block{{Note: "No value curve: " + err.Error()}}
	}
	var peaks []string
	names, curves := v.Names, v.Curves
	if v.By == "" {
		names, curves = []string{"all subscribers"}, []*segment.Curve{v.Pool}
	}
	for k, c := range curves {
		if c == nil {
			continue
		}
		best, at := -1.0, -1
		for _, pt := range c.Points {
			if pt.Subscribers >= minCurveSubscribers && pt.Fitted > best {
				best, at = pt.Fitted, pt.Tenure
			}
		}
		if at >= 0 {
			peaks = append(peaks, fmt.Sprintf("%s %s at tenure %d", names[k], money(best), at))
		}
	}
	out := []Block{Paragraph("**Value over the relationship.** Mean spend per subscriber by tenure %s (only %ss a subscriber was in service), smoothed; the highest fitted value among tenures with at least %d subscribers: %s. A curve that rises with tenure partly reflects who stays (long tenures hold the least churn-prone); potential value therefore follows each subscriber's own within-subscriber curve (`clv value curve` shows both).",
		v.Period, v.Period, minCurveSubscribers, strings.Join(peaks, "; "))}
	if svg, err := chart.ValueCurves(v).SVG(); err == nil {
		out = append(out, Block{Chart: &Chart{Caption: "Value curve by tenure per " + groupHeader(v.By), Alt: "line chart of mean spend by tenure", SVG: svg}})
	}
	return out
}
