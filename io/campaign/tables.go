package campaign

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

// ManifestFile is the file name of the manifest in the lists folder.
const ManifestFile = "manifest.csv"

// fixedColumns are the list columns after the attributes.
var fixedColumns = []string{"stage", "value_tier", "clv", "risk_score", "value_at_risk", "action", "reason"}

// AttributeHeaders returns the header of each attribute column of s as the
// subscriber export names it: headers[name] when set (the reader reads some
// Chinese headers under English names), else the name. A header equal to
// customer_id or to a list column is prefixed with "subscriber_".
func AttributeHeaders(s *clv.Segments, headers map[string]string) []string {
	out := make([]string, len(s.AttrNames))
	for k, name := range s.AttrNames {
		h := name
		if v, ok := headers[name]; ok && v != "" {
			h = v
		}
		for _, f := range append([]string{"customer_id"}, fixedColumns...) {
			if h == f {
				h = "subscriber_" + h
				break
			}
		}
		out[k] = h
	}
	return out
}

// ListTable is one list as a table (see the package comment for the columns).
func ListTable(l *clv.Lists, list *segment.List, headers []string) *render.Table {
	return listTable(l, list.Rows, strings.TrimSuffix(list.File, ".csv"), headers)
}

// chunkRows is the number of list rows formatted at a time by writeList (a
// variable for the test).
var chunkRows = 1 << 16

// writeList writes one list as CSV a chunk of rows at a time, so memory
// holds the reasons and attributes of at most chunkRows rows.
func writeList(w io.Writer, l *clv.Lists, list *segment.List, headers []string) error {
	for start := 0; start == 0 || start < len(list.Rows); start += chunkRows {
		rows := list.Rows[start:min(len(list.Rows), start+chunkRows)]
		var buf bytes.Buffer
		if err := render.WriteTable(&buf, render.FormatCSV, listTable(l, rows, "", headers)); err != nil {
			return err
		}
		b := buf.Bytes()
		if start > 0 {
			// The header was written with the first chunk; header names
			// never hold a line break (csv quoting aside, a header with one
			// is not a header a CRM export has), so it is the first line.
			b = b[bytes.IndexByte(b, '\n')+1:]
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// listTable is the table of the given rows of a list.
func listTable(l *clv.Lists, rows []int, title string, headers []string) *render.Table {
	s := l.Segments
	n := len(rows)
	ids := make([]string, n)
	stage, tier, action, reason := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	value, risk, var_ := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, i := range rows {
		ids[k] = s.IDs[i]
		stage[k] = s.Stage[i].String()
		tier[k] = s.Tiers[s.Tier[i]]
		action[k] = s.Action[i]
		reason[k] = l.Reason(i)
		value[k], risk[k], var_[k] = s.CLV[i], s.Risk[i], s.ValueAtRisk[i]
	}
	cols := []render.Column{render.Strings("customer_id", ids)}
	for k, name := range s.AttrNames {
		attr := s.Attrs[name]
		v := make([]string, n)
		for j, i := range rows {
			v[j] = attr[i]
		}
		cols = append(cols, render.Strings(headers[k], v))
	}
	cols = append(cols, render.Strings("stage", stage), render.Strings("value_tier", tier),
		digits(render.Floats("clv", value), 2), digits(render.Floats("risk_score", risk), 3),
		digits(render.Floats("value_at_risk", var_), 2), render.Strings("action", action), render.Strings("reason", reason))
	return &render.Table{Title: title, Columns: cols}
}

// ManifestTable has one row per list (see the package comment).
func ManifestTable(l *clv.Lists) *render.Table {
	k := len(l.Lists.Lists)
	file, action, cells := make([]string, k), make([]string, k), make([]string, k)
	rows, excl, trunc, elig := make([]int64, k), make([]int64, k), make([]int64, k), make([]int64, k)
	value, var_ := make([]float64, k), make([]float64, k)
	for j := range l.Lists.Lists {
		x := &l.Lists.Lists[j]
		file[j], action[j], cells[j] = x.File, x.Action, strings.Join(x.Cells, " ")
		if x.Action == "" {
			action[j] = "(early warning)"
		}
		rows[j], excl[j], trunc[j], elig[j] = int64(len(x.Rows)), int64(x.Excluded), int64(x.Truncated), int64(x.Eligible)
		value[j], var_[j] = x.Value, x.ValueAtRisk
	}
	return &render.Table{Title: "manifest", Columns: []render.Column{
		render.Strings("file", file), render.Strings("action", action), render.Ints("rows", rows),
		digits(render.Floats("total_clv", value), 2), digits(render.Floats("value_at_risk", var_), 2),
		render.Ints("excluded", excl), render.Ints("truncated", trunc), render.Ints("eligible", elig),
		render.Strings("cells", cells),
	}}
}

// WriteLists writes the lists and the manifest into out and commits it
// (render.CreateDir: the folder appears whole or not at all). headers are
// the attribute headers (AttributeHeaders). ctx stops the writing between
// files; the folder is then not created.
func WriteLists(ctx context.Context, out *render.DirOutput, l *clv.Lists, headers []string) error {
	write := func(name string, t *render.Table) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return out.WriteFile(name, func(w io.Writer) error { return render.WriteTable(w, render.FormatCSV, t) })
	}
	for j := range l.Lists.Lists {
		x := &l.Lists.Lists[j]
		if err := ctx.Err(); err != nil {
			out.Abort()
			return err
		}
		if err := out.WriteFile(x.File, func(w io.Writer) error { return writeList(w, l, x, headers) }); err != nil {
			out.Abort()
			return err
		}
	}
	if err := write(ManifestFile, ManifestTable(l)); err != nil {
		out.Abort()
		return err
	}
	if err := ctx.Err(); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// ChangesTable is the movement since a previous run as one long table named
// "changes": measure (stage, tier, early_warning), from, to, subscribers,
// value_previous, value_current, value_change; every cell of each matrix,
// with "(new)" for customers only in this run and "(gone)" for those only in
// the previous one.
func ChangesTable(c *segment.Changes) *render.Table {
	k := len(c.Rows)
	measure, from, to := make([]string, k), make([]string, k), make([]string, k)
	n := make([]int64, k)
	vp, vc, dv := make([]float64, k), make([]float64, k), make([]float64, k)
	for j, r := range c.Rows {
		measure[j], from[j], to[j], n[j] = r.Measure, r.From, r.To, int64(r.Customers)
		vp[j], vc[j], dv[j] = r.ValuePrevious, r.ValueCurrent, r.ValueCurrent-r.ValuePrevious
	}
	return &render.Table{Title: "changes", Columns: []render.Column{
		render.Strings("measure", measure), render.Strings("from", from), render.Strings("to", to),
		render.Ints("subscribers", n), digits(render.Floats("value_previous", vp), 2),
		digits(render.Floats("value_current", vc), 2), digits(render.Floats("value_change", dv), 2),
	}}
}

// GroupsTable is the group roll-up as a table named "groups": group, grade,
// lines, active_lines, revenue, monthly_revenue, clv, value_at_risk,
// early_warning (members on the list) and key_members (id and clv of the
// members with the highest clv).
func GroupsTable(g *clv.Groups) *render.Table {
	k := len(g.Rows)
	s := g.Segments
	group, grade, key := make([]string, k), make([]string, k), make([]string, k)
	lines, active, warn := make([]int64, k), make([]int64, k), make([]int64, k)
	rev, mon, value, var_ := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	for j, r := range g.Rows {
		group[j], grade[j] = r.Group, r.Grade
		lines[j], active[j], warn[j] = int64(r.Lines), int64(r.ActiveLines), int64(r.Warning)
		rev[j], mon[j], value[j], var_[j] = r.Revenue, r.MonthlyRevenue, r.CLV, r.ValueAtRisk
		var parts []string
		for _, i := range r.KeyMembers {
			parts = append(parts, fmt.Sprintf("%s (%.0f)", s.IDs[i], s.CLV[i]))
		}
		key[j] = strings.Join(parts, "; ")
	}
	return &render.Table{Title: "groups", Columns: []render.Column{
		render.Strings("group", group), render.Strings("grade", grade), render.Ints("lines", lines),
		render.Ints("active_lines", active), digits(render.Floats("revenue", rev), 2),
		digits(render.Floats("monthly_revenue", mon), 2), digits(render.Floats("clv", value), 2),
		digits(render.Floats("value_at_risk", var_), 2), render.Ints("early_warning", warn),
		render.Strings("key_members", key),
	}}
}

func digits(c render.Column, d int) render.Column {
	c.Digits = d
	return c
}
