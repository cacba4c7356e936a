package main

import (
	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/lang"
	"github.com/clvkit/clv/io/render"
)

// langFlag is --lang: the language of the report and of the human-readable
// labels (table and Markdown output) of the commands that print stage, tier,
// action and quadrant names.
type langFlag struct{ code string }

func addLangFlag(cmd *cobra.Command, f *langFlag, what string) {
	cmd.Flags().StringVar(&f.code, "lang", "en", "language of "+what+": en or zh (简体中文; numbers in prose in 万/亿). CSV, JSON and Parquet keep the English column names and codes")
}

// catalog resolves --lang (a usage error for an unknown language).
func (f *langFlag) catalog() (*lang.Catalog, error) {
	c, err := lang.Parse(f.code)
	if err != nil {
		return nil, usagef("--lang %q: want en or zh", f.code)
	}
	return c, nil
}

// humanFormat reports whether f is read by people (table, Markdown): only
// those get translated labels.
func humanFormat(f render.Format) bool { return f == render.FormatTable || f == render.FormatMarkdown }

// codeKinds are the columns whose values are codes with display names.
var codeKinds = map[string]string{"stage": "stage", "value_tier": "tier", "tier": "tier", "action": "action", "quadrant": "quadrant", "model": "model", "from": "stage", "to": "stage", "state": "stage"}

// localizeTable is a copy of t for people reading l's language: the code
// columns show display names (获取, 黄金, 挽留外呼) and the headings are
// translated. t itself is not changed.
func localizeTable(t *render.Table, l *lang.Catalog) *render.Table {
	out := &render.Table{Title: t.Title, Columns: make([]render.Column, len(t.Columns))}
	for i, c := range t.Columns {
		if k, ok := codeKinds[c.Name]; ok && c.Kind == render.KindString {
			vals := make([]string, len(c.Texts()))
			for r, v := range c.Texts() {
				if k == "action" {
					vals[r] = l.Action(v)
				} else {
					vals[r] = l.Label(k, v)
				}
			}
			c.SetTexts(vals)
		}
		if (c.Name == "metric" || c.Name == "indicator") && c.Kind == render.KindString {
			vals := make([]string, len(c.Texts()))
			for r, v := range c.Texts() {
				vals[r] = l.Heading(v)
			}
			c.SetTexts(vals)
		}
		c.Name = l.Heading(c.Name)
		out.Columns[i] = c
	}
	return out
}

// writeResultIn writes r like writeResult; with a Chinese catalog, table
// and Markdown output show translated labels and headings, and titles:
// titles[""] replaces the result's title, titles[NAME] the title of table
// NAME (a table without one gets the catalog's doctitle.TITLE when there is
// one). CSV, JSON and Parquet keep the English names and codes.
func (a *app) writeResultIn(r *render.Result, l *lang.Catalog, titles map[string]string) error {
	if !l.Chinese() {
		return a.writeResult(r)
	}
	f, err := a.outputFormat()
	if err != nil {
		return err
	}
	if !humanFormat(f) || a.global.out.outDir != "" || a.global.out.table == "list" {
		return a.writeResult(r)
	}
	return a.writeResult(localizeResult(r, l, titles))
}

// localizeResult is a copy of r for people reading l's language (see
// writeResultIn); r is not changed.
func localizeResult(r *render.Result, l *lang.Catalog, titles map[string]string) *render.Result {
	out := *r
	if t, ok := titles[""]; ok {
		out.Title = t
	}
	out.Tables = make([]*render.Table, len(r.Tables))
	for i, t := range r.Tables {
		lt := localizeTable(t, l)
		lt.Name = t.Name
		switch {
		case titles[t.Name] != "":
			lt.Title = titles[t.Name]
		case l.Has("doctitle." + t.Title):
			lt.Title = l.T("doctitle." + t.Title)
		}
		out.Tables[i] = lt
	}
	return &out
}

// segmentSummaryTitlesIn are the titles in l of clv segment --views: the
// result and the matrix, concentration, Lorenz and early-warning tables.
func segmentSummaryTitlesIn(s *clv.Segments, v *clv.Views, top int, l *lang.Catalog) map[string]string {
	if !l.Chinese() {
		return nil
	}
	r := s.Result
	return map[string]string{
		"":              l.T("segdoc.title", r.AsOf, r.Len(), l.Unit(r.Period.String())),
		"matrix":        l.T("segdoc.matrix"),
		"concentration": l.T("segdoc.concentration"),
		"lorenz":        l.T("segdoc.lorenz"),
		"early_warning": l.T("segdoc.warning", top),
	}
}
