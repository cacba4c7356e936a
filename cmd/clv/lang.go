package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/lang"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/io/report"
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
var codeKinds = map[string]string{"stage": "stage", "value_tier": "tier", "tier": "tier", "action": "action", "quadrant": "quadrant", "model": "model", "from": "stage", "state": "stage"}

// localizeTable is a copy of t for people reading l's language: the code
// columns show display names (获取, 黄金, 挽留外呼) and the headings are
// translated. t itself is not changed.
func localizeTable(t *render.Table, l *lang.Catalog) *render.Table {
	out := &render.Table{Title: t.Title, Columns: make([]render.Column, len(t.Columns))}
	for i, c := range t.Columns {
		if k, ok := codeKinds[c.Name]; ok && c.Kind == render.KindString {
			vals := make([]string, len(c.Strings))
			for r, v := range c.Strings {
				if k == "action" {
					vals[r] = l.Action(v)
				} else {
					vals[r] = l.Label(k, v)
				}
			}
			c.Strings = vals
		}
		if c.Name == "metric" && c.Kind == render.KindString {
			vals := make([]string, len(c.Strings))
			for r, v := range c.Strings {
				vals[r] = l.Heading(v)
			}
			c.Strings = vals
		}
		c.Name = l.Heading(c.Name)
		out.Columns[i] = c
	}
	return out
}

// writeTableIn writes t like writeTable, with translated labels in table and
// Markdown format.
func (a *app) writeTableIn(t *render.Table, l *lang.Catalog) error {
	if !l.Chinese() {
		return a.writeTable(t)
	}
	return a.emit(func(w io.Writer, f render.Format) error {
		if humanFormat(f) {
			return render.WriteTable(w, f, localizeTable(t, l))
		}
		return render.WriteTable(w, f, t)
	})
}

// writeDocIn writes a multi-part result like writeDoc, with translated
// labels (and the titles of localized) in table and Markdown format.
func (a *app) writeDocIn(d *render.Doc, jsonValue any, l *lang.Catalog, localized *render.Doc) error {
	if !l.Chinese() {
		return a.writeDoc(d, jsonValue)
	}
	return a.emit(func(w io.Writer, f render.Format) error {
		switch {
		case f == render.FormatJSON:
			return render.WriteJSON(w, jsonValue)
		case humanFormat(f):
			return render.WriteDoc(w, f, localized)
		}
		return render.WriteDoc(w, f, d)
	})
}

// localizeDoc is a copy of d with the given title, the section titles of the
// catalog's doctitle.TITLE messages (a title without one is kept) and
// localized tables.
func localizeDoc(d *render.Doc, title string, l *lang.Catalog) *render.Doc {
	out := &render.Doc{Title: title}
	for _, sec := range d.Sections {
		ls := render.Section{Title: sec.Title, Text: sec.Text}
		if l.Has("doctitle." + sec.Title) {
			ls.Title = l.T("doctitle." + sec.Title)
		}
		if sec.Table != nil {
			ls.Table = localizeTable(sec.Table, l)
		}
		out.Sections = append(out.Sections, ls)
	}
	return out
}

// segmentSummaryDocIn is the Chinese (or other l) version of the document
// of clv segment --summary: the same sections (matrix, concentration,
// Lorenz, one profile per attribute, early warning) with titles in l and
// translated tables.
func segmentSummaryDocIn(d *render.Doc, base *clv.Base, s *clv.Segments, v *clv.Views, top int, l *lang.Catalog) *render.Doc {
	r := s.Result
	out := &render.Doc{Title: l.T("segdoc.title", r.AsOf, r.Len(), l.Unit(r.Period.String()))}
	titles := []string{l.T("segdoc.matrix"), l.T("segdoc.concentration"), l.T("segdoc.lorenz")}
	for _, name := range v.ProfileBy {
		titles = append(titles, l.T("segdoc.profile", l.Label("attr", name)))
	}
	titles = append(titles, l.T("segdoc.warning", top))
	for i, sec := range d.Sections {
		ls := render.Section{Title: sec.Title, Text: sec.Text}
		if i < len(titles) && len(titles) == len(d.Sections) {
			ls.Title = titles[i]
		}
		if i == 0 && sec.Text != "" {
			ls.Text = l.T("segdoc.clv", report.ValueDescription(base, s, l))
		}
		if sec.Table != nil {
			ls.Table = localizeTable(sec.Table, l)
		}
		out.Sections = append(out.Sections, ls)
	}
	return out
}
