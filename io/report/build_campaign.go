package report

import (
	"path/filepath"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/campaign"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
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
		return []Block{{Note: b.l.T("camp.actions.error", err.Error())}}
	}
	t := localize(campaign.ManifestTable(l), b.l)
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
		{Table: &render.Table{Title: b.l.T("camp.actions.table"), Columns: cols}},
		{Note: b.l.T("camp.actions.note")},
	}
}

// changesTitle is the title of the changes section.
func (b *builder) changesTitle() string {
	if d := b.opt.Previous.AsOf; d != dataset.NoDay {
		return b.l.T("camp.changes.title", d.String())
	}
	return b.l.T("camp.changes.title.previous")
}

func (b *builder) changesSection(c *segment.Changes) Section {
	sec := Section{Title: b.changesTitle(), ID: "what-changed"}
	name := b.l.T("camp.previous")
	if b.opt.PreviousName != "" {
		name = "`" + filepath.Base(b.opt.PreviousName) + "`"
	}
	sec.Blocks = append(sec.Blocks,
		Block{Figures: []Figure{
			{Label: b.l.T("camp.fig.new"), Value: b.count(c.NewWarnings), Detail: b.l.T("camp.fig.new.detail")},
			{Label: b.l.T("camp.fig.resolved"), Value: b.count(c.Resolved), Detail: b.l.T("camp.fig.resolved.detail")},
			{Label: b.l.T("camp.fig.churned"), Value: b.count(c.ChurnedSince), Detail: b.l.T("camp.fig.churned.detail", b.count(c.WarnedChurned))},
			{Label: b.l.T("camp.fig.value"), Value: b.money(c.ValueCurrent), Detail: b.l.T("camp.fig.value.detail", b.money(c.ValuePrevious), 100*ratio(c.ValueCurrent-c.ValuePrevious, c.ValuePrevious))},
		}},
		Block{Text: b.l.T("camp.changes.intro", name, b.count(c.Both), b.count(c.New), b.count(c.Gone), b.segs.Options.RiskThreshold)},
		Block{Table: b.movementTable(c, "stage", b.l.T("camp.move.stage"))},
		Block{Table: b.movementTable(c, "tier", b.l.T("camp.move.tier"))},
		Block{Table: b.movementTable(c, "early_warning", b.l.T("camp.move.warning"))},
		Block{Table: b.valueChangeTable(c)},
		Block{Note: b.l.T("camp.changes.note")},
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
func (b *builder) movementTable(c *segment.Changes, measure, title string) *render.Table {
	from, to, counts := c.Matrix(measure)
	kind := map[string]string{"stage": "stage", "tier": "tier", "early_warning": "ewstate"}[measure]
	if kind != "" {
		from = labels(b.l, kind, from)
	}
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
func (b *builder) valueChangeTable(c *segment.Changes) *render.Table {
	rows := c.ByFrom("stage")
	n := len(rows)
	st, subs := make([]string, n), make([]int64, n)
	vp, vc, dv := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, r := range rows {
		st[k], subs[k] = b.stage(r.From), int64(r.Customers)
		vp[k], vc[k], dv[k] = r.ValuePrevious, r.ValueCurrent, r.ValueCurrent-r.ValuePrevious
	}
	return &render.Table{Title: b.l.T("camp.value.table"), Columns: []render.Column{
		render.Strings("stage before", st), render.Ints("subscribers", subs),
		digits(render.Floats("value_before", vp), -1), digits(render.Floats("value_now", vc), -1),
		digits(render.Floats("change", dv), -1),
	}}
}

func (b *builder) groupsSection(g *clv.Groups) Section {
	sec := Section{Title: b.l.T("camp.groups.title")}
	o := b.opt.Groups.GroupOptions
	var rules []string
	for k := range o.Revenue {
		rules = append(rules, b.l.T("camp.groups.rule", o.Grades[k], b.money(o.Revenue[k]), o.Lines[k]))
	}
	rules = append(rules, b.l.T("camp.groups.rest", o.Grades[len(o.Grades)-1]))
	grades := map[string]int{}
	for _, r := range g.Rows {
		grades[r.Grade]++
	}
	var mix []string
	for _, name := range o.Grades {
		mix = append(mix, b.l.T("camp.groups.mix", b.count(grades[name]), name))
	}
	t := campaign.GroupsTable(g)
	t.Title = b.l.T("camp.groups.table")
	for k := range t.Columns {
		if t.Columns[k].Kind == render.KindFloat {
			t.Columns[k].Digits = -1
		}
	}
	window := b.l.T("camp.groups.nowindow")
	if g.Months > 0 {
		window = b.l.T("camp.groups.window", g.From, g.To, g.Months)
	}
	sec.Blocks = append(sec.Blocks,
		Block{Text: b.l.T("camp.groups.intro",
			b.count(len(g.Rows)), g.Column, b.count(g.Ungrouped), strings.Join(mix, b.l.T("list.sep")), strings.Join(rules, b.l.T("kpi.join")), window, o.KeyMembers)},
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
