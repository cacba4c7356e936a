package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/campaign"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

// Titles of the optional campaign sections.
const (
	titleChangesPrefix = "What changed since "
	titleGroups        = "Group customers"
)

// campaignSections builds the optional sections: what changed since the
// previous run (Options.Previous) and the group customers (Options.Groups,
// when a group column is found or named). Their titles go into the section
// order after the early-warning section.
func (b *builder) campaignSections() ([]Section, error) {
	var out []Section
	if b.opt.Previous != nil {
		c, err := b.base.Changes(b.opt.Previous)
		if err != nil {
			return nil, err
		}
		out = append(out, b.changesSection(c))
	}
	if b.opt.Groups != nil {
		g, err := b.base.Groups(*b.opt.Groups)
		if err != nil {
			return nil, err
		}
		if g != nil {
			out = append(out, b.groupsSection(g))
		}
	}
	return out, nil
}

// actionBlocks: the subscribers and value per action, the campaign lists'
// counts (clv segment --lists writes one file per action with these rows).
func (b *builder) actionBlocks() []Block {
	l, err := b.base.Lists(clv.ListOptions{})
	if err != nil {
		return []Block{{Note: "No action counts: " + err.Error()}}
	}
	t := campaign.ManifestTable(l)
	keep := map[string]bool{"action": true, "rows": true, "total_clv": true, "value_at_risk": true, "cells": true, "file": true}
	var cols []render.Column
	for _, c := range t.Columns {
		if keep[c.Name] {
			if c.Name == "rows" {
				c.Name = "subscribers"
			}
			if c.Kind == render.KindFloat {
				c.Digits = -1
			}
			cols = append(cols, c)
		}
	}
	return []Block{
		{Table: &render.Table{Title: "Subscribers and value per action (the campaign lists of --lists DIR)", Columns: cols}},
		{Note: "Each subscriber has one action: the stage × tier cell's, or a quadrant row's, or the otherwise action below a cell's min_value; so the rows of an action add up over the cells it is named in. The early-warning list overlaps the action lists. Value at risk = future value × risk score (for the churned: the run-rate value they would bring back)."},
	}
}

// changesTitle is the title of the changes section.
func (b *builder) changesTitle() string {
	if d := b.opt.Previous.AsOf; d != dataset.NoDay {
		return titleChangesPrefix + d.String()
	}
	return titleChangesPrefix + "the previous run"
}

func (b *builder) changesSection(c *segment.Changes) Section {
	sec := Section{Title: b.changesTitle(), ID: "what-changed"}
	name := "the previous run"
	if b.opt.PreviousName != "" {
		name = "`" + filepath.Base(b.opt.PreviousName) + "`"
	}
	sec.Blocks = append(sec.Blocks,
		Block{Figures: []Figure{
			{Label: "New early warnings", Value: b.count(c.NewWarnings), Detail: "on the list now, not before"},
			{Label: "Resolved", Value: b.count(c.Resolved), Detail: "on the list before, now neither listed nor churned"},
			{Label: "Churned since", Value: b.count(c.ChurnedSince), Detail: fmt.Sprintf("%s of them were on the list", b.count(c.WarnedChurned))},
			{Label: "Future value", Value: b.money(c.ValueCurrent), Detail: fmt.Sprintf("%s before (%+.1f%%)", b.money(c.ValuePrevious), 100*ratio(c.ValueCurrent-c.ValuePrevious, c.ValuePrevious))},
		}},
		Paragraph("Compared with %s: %s subscribers in both runs, %s only in this one (the row (new)) and %s only in the previous one (the column (gone)); every subscriber is counted. Rows are the previous run's state, columns this run's. The early-warning state of the previous run uses this run's risk threshold (%.2f).",
			name, b.count(c.Both), b.count(c.New), b.count(c.Gone), b.segs.Options.RiskThreshold),
		Block{Table: movementTable(c, "stage", "Lifecycle stage movement (subscribers)")},
		Block{Table: movementTable(c, "tier", "Value tier movement (subscribers)")},
		Block{Table: movementTable(c, "early_warning", "Early-warning movement (subscribers)")},
		Block{Table: valueChangeTable(c)},
		Block{Note: "The whole movement is the `changes` table of `clv segment --previous FILE --format json`."},
	)
	return sec
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// movementTable pivots one measure of the changes: from (rows) × to.
func movementTable(c *segment.Changes, measure, title string) *render.Table {
	from, to, counts := c.Matrix(measure)
	cols := []render.Column{render.Strings("before \\ now", from)}
	for j, name := range to {
		v := make([]int64, len(from))
		for i := range from {
			v[i] = int64(counts[i][j])
		}
		cols = append(cols, render.Ints(name, v))
	}
	return &render.Table{Title: title, Columns: cols}
}

// valueChangeTable is the future value of the previous run's stages then and now.
func valueChangeTable(c *segment.Changes) *render.Table {
	rows := c.ByFrom("stage")
	n := len(rows)
	st, subs := make([]string, n), make([]int64, n)
	vp, vc, dv := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, r := range rows {
		st[k], subs[k] = r.From, int64(r.Customers)
		vp[k], vc[k], dv[k] = r.ValuePrevious, r.ValueCurrent, r.ValueCurrent-r.ValuePrevious
	}
	return &render.Table{Title: "Future value by previous stage", Columns: []render.Column{
		render.Strings("stage before", st), render.Ints("subscribers", subs),
		digits(render.Floats("value_before", vp), -1), digits(render.Floats("value_now", vc), -1),
		digits(render.Floats("change", dv), -1),
	}}
}

func (b *builder) groupsSection(g *clv.Groups) Section {
	sec := Section{Title: titleGroups}
	o := b.opt.Groups.GroupOptions
	var rules []string
	for k := range o.Revenue {
		rules = append(rules, fmt.Sprintf("%s: monthly revenue ≥ %s and ≥ %d active lines", o.Grades[k], b.money(o.Revenue[k]), o.Lines[k]))
	}
	rules = append(rules, o.Grades[len(o.Grades)-1]+": the rest")
	grades := map[string]int{}
	for _, r := range g.Rows {
		grades[r.Grade]++
	}
	var mix []string
	for _, name := range o.Grades {
		mix = append(mix, fmt.Sprintf("%s %s", b.count(grades[name]), name))
	}
	t := campaign.GroupsTable(g)
	t.Title = "Groups by monthly revenue"
	for k := range t.Columns {
		if t.Columns[k].Kind == render.KindFloat {
			t.Columns[k].Digits = -1
		}
	}
	window := "no complete period in the window"
	if g.Months > 0 {
		window = fmt.Sprintf("%s to %s, %d months", g.From, g.To, g.Months)
	}
	sec.Blocks = append(sec.Blocks,
		Paragraph("%s groups (column `%s`; %s subscribers belong to none): %s. Grades (first met): %s. Monthly revenue is the members' spend in the last complete periods (%s) divided by the months; active lines have no churn date on or before the as-of day; key members are the %d with the highest future value.",
			b.count(len(g.Rows)), g.Column, b.count(g.Ungrouped), strings.Join(mix, ", "), strings.Join(rules, "; "), window, o.KeyMembers),
		Block{Table: t},
	)
	return sec
}

// withSections returns the titles of order with those of extra inserted
// after the title after.
func withSections(order []string, after string, extra []Section) []string {
	var out []string
	for _, t := range order {
		out = append(out, t)
		if t == after {
			for _, s := range extra {
				out = append(out, s.Title)
			}
		}
	}
	return out
}

// insertSections inserts extra after the section titled after.
func insertSections(secs []Section, after string, extra []Section) []Section {
	var out []Section
	for _, s := range secs {
		out = append(out, s)
		if s.Title == after {
			out = append(out, extra...)
		}
	}
	return out
}
