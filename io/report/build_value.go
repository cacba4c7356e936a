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
	sec := b.section(titleValue)
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
		Block{Text: b.l.T("value.intro", k, b.valueDescription())},
		Block{Table: &render.Table{Title: b.l.T("value.tiers"), Columns: []render.Column{
			render.Strings("tier", labels(b.l, "tier", r.Tiers)), render.Ints("subscribers", subs), render.Ints("active", living),
			render.Floats("revenue", rev), render.Floats("revenue_share", share),
			render.Floats("mean_clv", mean), render.Floats("lowest_clv", clvMin), render.Floats("highest_clv", clvMax),
		}}})

	// Key accounts and VIP.
	vipText := b.l.T("value.vip.none")
	if len(b.segs.Options.VIP) > 0 {
		var parts []string
		for lvl, th := range b.segs.Options.VIP {
			parts = append(parts, b.l.T("value.vip", lvl+1, b.money(th), b.count(v.Key.VIP[fmt.Sprintf("vip%d", lvl+1)])))
		}
		vipText = strings.Join(parts, b.l.T("kpi.join"))
	}
	sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("value.key",
		b.count(v.Key.Accounts), pct(v.Key.RevenueShare), pct(b.segs.Options.KeyShare), vipText)})
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
			id[j], st[j] = r.IDs[i], b.stage(r.Stage[i].String())
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
		title := b.l.T("value.keytable")
		if len(idx) > len(shown) {
			title = b.l.T("value.keytable.some", len(shown), len(idx))
		}
		sec.Blocks = append(sec.Blocks, Block{Table: &render.Table{Title: title, Columns: cols}})
	}

	// Concentration and Lorenz curve.
	c := v.Concentration
	sec.Blocks = append(sec.Blocks, Block{Figures: []Figure{
		{Label: b.l.T("value.fig.top1"), Value: pct(c.TopShare[0]), Detail: b.l.T("value.fig.ofrevenue")},
		{Label: b.l.T("value.fig.top5"), Value: pct(c.TopShare[1]), Detail: b.l.T("value.fig.ofrevenue")},
		{Label: b.l.T("value.fig.top20"), Value: pct(c.TopShare[2]), Detail: b.l.T("value.fig.ofrevenue")},
		{Label: b.l.T("value.fig.gini"), Value: fmt.Sprintf("%.3f", c.Gini), Detail: b.l.T("value.fig.gini.detail")},
	}})
	x := make([]float64, len(c.Lorenz))
	y := make([]float64, len(c.Lorenz))
	for j, p := range c.Lorenz {
		x[j], y[j] = p[0], p[1]
	}
	lc := &chart.LineChart{Title: b.l.T("value.lorenz"), XLabel: b.l.T("value.lorenz.x"), YLabel: b.l.T("value.lorenz.y"),
		XPercent: true, YPercent: true, XMin: 0, XMax: 1, YMin: 0, YMax: 1, Width: 480, Height: 400, LegendLeft: true,
		Series: []chart.Series{{Name: b.l.T("value.lorenz.revenue"), X: x, Y: y}, {Name: b.l.T("value.lorenz.equal"), X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true}}}
	svg, err := lc.SVG()
	if err != nil {
		return sec, err
	}
	sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: b.l.T("value.lorenz.caption"),
		Alt: b.l.T("value.lorenz.alt", pct(c.TopShare[2])), SVG: svg}})

	sec.Blocks = append(sec.Blocks, b.potentialBlocks()...)

	for _, name := range b.v.ProfileBy {
		t := ProfileTable(name, v.Profiles[name])
		t.Title = b.l.T("value.profile", strings.ReplaceAll(b.attr(name), "_", " "))
		sec.Blocks = append(sec.Blocks, Block{Table: t})
	}
	return sec, nil
}

// matrixSection: stage × tier counts, value and actions.
func (b *builder) matrixSection(v *clv.Views) Section {
	r := b.segs.Result
	sec := b.section(titleMatrix)
	k := len(r.Tiers)
	stages := make([]string, segment.NumStages)
	for s := range stages {
		stages[s] = b.stage(segment.Stages[s].String())
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
			act[s] = b.action(m.Action)
			if a := b.segs.Options.Actions.Cell(segment.Stages[s], r.Tiers[t]); a != nil && a.MinValue > 0 {
				act[s] = b.l.T("matrix.ifworth", b.action(a.Name), b.money(a.MinValue))
			}
		}
		countCols = append(countCols, render.Ints(r.Tiers[t], cnt))
		valueCols = append(valueCols, digits(render.Floats(r.Tiers[t], val), 0))
		actionCols = append(actionCols, render.Strings(r.Tiers[t], act))
	}
	countCols = append(countCols, render.Ints("total", totals))
	sec.Blocks = append(sec.Blocks,
		Block{Table: &render.Table{Title: b.l.T("matrix.subscribers"), Columns: countCols}},
		Block{Table: &render.Table{Title: b.l.T("matrix.value"), Columns: valueCols}},
		Block{Table: &render.Table{Title: b.l.T("matrix.action"), Columns: actionCols}},
	)
	// Stage distribution by tier as a bar chart.
	bc := &chart.BarChart{Title: b.l.T("matrix.chart"), Labels: stages, YLabel: b.l.T("matrix.chart.y"), LegendLeft: true}
	for t := 0; t < k && t < 6; t++ {
		y := make([]float64, segment.NumStages)
		for s := range y {
			y[s] = float64(v.Matrix[s*k+t].Subscribers)
		}
		bc.Groups = append(bc.Groups, chart.Series{Name: b.tier(r.Tiers[t]), Y: y})
	}
	if k <= 6 {
		if svg, err := bc.SVG(); err == nil {
			sec.Blocks = append(sec.Blocks, Block{Chart: &Chart{Caption: b.l.T("matrix.chart.caption"), Alt: b.l.T("matrix.chart.alt"), SVG: svg}})
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
				line := b.l.T("matrix.describe", b.action(a.Name), b.l.Label("actiondesc", strings.TrimSuffix(a.Description, ".")))
				if a.MinValue > 0 {
					line += b.l.T("matrix.describe.min",
						b.money(a.MinValue), b.segs.Options.Horizon, b.units(r.Period.String()), b.action(a.Otherwise))
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
	sec := b.section(titleWarning)
	if len(v.Warning) == 0 {
		sec.Blocks = append(sec.Blocks, Block{Text: b.l.T("warning.none", b.segs.Options.RiskThreshold)})
		return sec
	}
	_, withType := b.segs.Attrs["customer_type"]
	t := localize(WarningTable(v, withType), b.l)
	t.Title = b.l.T("warning.table", len(v.Warning))
	sec.Blocks = append(sec.Blocks,
		Block{Text: b.l.T("warning.intro", b.segs.Options.RiskThreshold)},
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
		name[k], subs[k] = b.l.Label("quadrant", q.Quadrant.String()), int64(q.Subscribers)
		cur[k], fut[k], pot[k], head[k] = q.Current, q.CLV, q.Potential, q.Headroom
	}
	imp := rows[segment.Potentials]
	action := ""
	if t := b.segs.Options.Actions; t != nil {
		if a := t.QuadrantRows(segment.Potentials); len(a) > 0 {
			action = b.l.T("potential.action", b.action(a[0].Name))
		}
	}
	u := b.unit(r.Period.String())
	blocks := b.curveBlocks()
	return append(blocks, []Block{
		{Text: b.l.T("potential.intro",
			b.count(imp.Subscribers), b.money(imp.Current), u, b.money(imp.CLV), b.money(imp.Potential), b.money(imp.Headroom), action)},
		{Table: &render.Table{Title: b.l.T("potential.table"), Columns: []render.Column{
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
		return []Block{{Note: b.l.T("curve.error", err.Error())}}
	}
	var peaks []string
	names, curves := v.Names, v.Curves
	if v.By == "" {
		names, curves = []string{b.l.T("ret.all")}, []*segment.Curve{v.Pool}
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
			peaks = append(peaks, b.l.T("curve.peak", names[k], b.money(best), at))
		}
	}
	out := []Block{{Text: b.l.T("curve.intro",
		b.unit(v.Period.String()), b.units(v.Period.String()), minCurveSubscribers, strings.Join(peaks, b.l.T("kpi.join")))}}
	if svg, err := chart.ValueCurvesIn(v, b.l).SVG(); err == nil {
		out = append(out, Block{Chart: &Chart{Caption: b.l.T("curve.caption", b.attr(groupHeader(v.By))), Alt: b.l.T("curve.alt"), SVG: svg}})
	}
	return out
}
