package report

import (
	"strings"

	"github.com/clvkit/clv/io/lang"
	"github.com/clvkit/clv/io/render"
)

// Prose numbers in the report's language (package lang: 万/亿 in Chinese).
func (b *builder) count(n int) string       { return b.l.Count(int64(n)) }
func (b *builder) count64(n int64) string   { return b.l.Count(n) }
func (b *builder) money(v float64) string   { return b.l.Money(v) }
func (b *builder) unit(p string) string     { return b.l.Unit(p) }
func (b *builder) units(p string) string    { return b.l.Units(p) }
func (b *builder) stage(code string) string { return b.l.Label("stage", code) }
func (b *builder) tier(code string) string  { return b.l.Label("tier", code) }

// action is the display name of an action, "name if worth ≥ x" forms
// included.
func (b *builder) action(name string) string { return b.l.Action(name) }

// labels maps codes to display names (stage, tier, action, quadrant).
func labels(l *lang.Catalog, kind string, codes []string) []string {
	if !l.Chinese() {
		return codes
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = l.Label(kind, c)
	}
	return out
}

// cellNames translates lists of stage/tier cells ("decline/gold
// churned/gold") for display.
func cellNames(l *lang.Catalog, v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		parts := strings.Fields(s)
		for j, p := range parts {
			if st, tier, ok := strings.Cut(p, "/"); ok {
				parts[j] = l.Label("stage", st) + "/" + l.Label("tier", tier)
			}
		}
		out[i] = strings.Join(parts, l.T("list.sep"))
	}
	return out
}

// headings maps every column name of the report's tables to its heading in
// the report's language.
func headings(rep *Report, l *lang.Catalog) map[string]string {
	h := map[string]string{}
	for _, s := range rep.Sections {
		for _, bl := range s.Blocks {
			if bl.Table == nil {
				continue
			}
			for _, c := range bl.Table.Columns {
				h[c.Name] = l.Heading(c.Name)
			}
		}
	}
	return h
}

// localize translates the code columns (stage, value tier, action, model,
// quadrant) of a table built for the English outputs, for display.
func localize(t *render.Table, l *lang.Catalog) *render.Table {
	if !l.Chinese() {
		return t
	}
	kinds := map[string]string{"stage": "stage", "value_tier": "tier", "tier": "tier", "action": "action", "quadrant": "quadrant", "model": "model", "from": "stage"}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Name == "cells" && c.Kind == render.KindString {
			c.SetTexts(cellNames(l, c.Texts()))
			continue
		}
		if k, ok := kinds[c.Name]; ok && c.Kind == render.KindString {
			if k == "action" {
				vals := make([]string, len(c.Texts()))
				for r, v := range c.Texts() {
					vals[r] = l.Action(v)
				}
				c.SetTexts(vals)
			} else {
				c.SetTexts(labels(l, k, c.Texts()))
			}
		}
	}
	return t
}
