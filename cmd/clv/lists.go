package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/campaign"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

// campaignFlags are the campaign options of clv segment and clv report:
// the lists folder, the do-not-contact list, the previous run and the group
// roll-up.
type campaignFlags struct {
	lists        string
	exclude      string
	maxPerList   int
	previous     string
	previousAsOf string
	groupCol     string
	groupMonths  int
	groupGrades  string
	groupRevenue string
	groupLines   string
	groupKey     int
}

const campaignHelp = `
Campaign lists (--lists DIR): one CSV per action, action_<name>.csv (the customers
of the stage x tier cells, and quadrant rows, that share the action; every customer
is on exactly one), early_warning.csv and manifest.csv (file, action, rows,
total_clv, value_at_risk, excluded, truncated, eligible, cells). A list row holds
customer_id, every attribute column of the subscriber export under its own header
(Chinese headers included), stage, value_tier, clv (the value), risk_score,
value_at_risk, action and reason. Rows are ordered by value at risk, descending, ties
by id: value at risk = clv x risk_score, the expected value lost (for the churned,
whose clv is 0 and risk 1, the run-rate value they would bring back if won).
--exclude FILE drops a do-not-contact list (one id per line, or a CSV with an id
column; matched and unmatched ids are counted on stderr and in the manifest),
--max-per-list N keeps the first N of each list. The folder is written as one (a
temporary folder renamed into place: nothing half-written on an error or Ctrl-C);
an existing folder that is not empty is refused unless --force.

Change since a previous run (--previous FILE: a previous per-subscriber output of
clv segment, CSV or Parquet): stage, tier and early-warning movement matrices
(every subscriber counted: (new) = only in this run, (gone) = only in the previous
one), new and resolved early warnings, churned since, value by previous stage; the
table "changes" (measure, from, to, subscribers, value_previous, value_current,
value_change) is in --format json and the text formats (CSV keeps one row per
subscriber), and the report gets a "What changed since DATE" section
(--previous-as-of DATE, or the file's as_of column; else "the previous run").

Group customers (--group-col COL, or a group_id / group column, which 集团编号 and
集团 are read as): per group the lines (members), active lines (no churn date on or
before --as-of), revenue in the window, monthly revenue (spend in the last
--group-months months of complete periods / months), clv, value at risk, members on
the early-warning list, grade and key members (highest clv); the first grade whose
--group-revenue and --group-lines thresholds both hold, else the last (defaults:
A >= 20,000 a month and 10 active lines, B >= 5,000 and 5, C >= 1,000 and 2, D the
rest). Table "groups", and a report section.`

func addCampaignFlags(cmd *cobra.Command, f *campaignFlags) {
	d := segment.DefaultGroupOptions()
	fl := cmd.Flags()
	fl.StringVar(&f.lists, "lists", "", "write the campaign lists to the folder `DIR`: action_<name>.csv per action, early_warning.csv, manifest.csv (see --help)")
	fl.StringVar(&f.exclude, "exclude", "", "do-not-contact `FILE`: one id per line, or a CSV with an id column; left out of --lists")
	fl.IntVar(&f.maxPerList, "max-per-list", 0, "keep at most `N` rows per list (the highest value at risk; 0 = all)")
	fl.StringVar(&f.previous, "previous", "", "a previous run's per-subscriber output of clv segment (`FILE`, CSV or Parquet): what changed since")
	fl.StringVar(&f.previousAsOf, "previous-as-of", "", "as-of `DATE` of the --previous run, for the titles (default: its as_of column)")
	fl.StringVar(&f.groupCol, "group-col", "", "subscriber `COLUMN` holding the group customer id (default: group_id or group when present; 集团编号/集团 read as group)")
	fl.IntVar(&f.groupMonths, "group-months", 3, "months of complete periods of the groups' monthly revenue")
	fl.StringVar(&f.groupGrades, "group-grades", strings.Join(d.Grades, ","), "group grade names, highest first")
	fl.StringVar(&f.groupRevenue, "group-revenue", joinFloats(d.Revenue), "monthly-revenue thresholds of every grade but the last, highest first")
	fl.StringVar(&f.groupLines, "group-lines", joinInts(d.Lines), "active-line thresholds of every grade but the last, highest first")
	fl.IntVar(&f.groupKey, "group-key-members", d.KeyMembers, "key members named per group (highest clv)")
	cmd.Long += "\n" + campaignHelp
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// campaignRun is what the campaign flags prepared before the data is read.
type campaignRun struct {
	f        *campaignFlags
	dir      *render.DirOutput
	exclude  []string
	previous *segment.Snapshot
	groups   *clv.GroupOptions
}

// prepareCampaign checks the campaign flags and reads the small inputs
// (do-not-contact list, previous run) before the data, and claims the
// lists folder (refused when not empty, without --force). release must be
// called when the run ends (it removes an uncommitted folder).
func (a *app) prepareCampaign(f *campaignFlags) (c *campaignRun, release func(), err error) {
	c = &campaignRun{f: f}
	release = func() {}
	if f.maxPerList < 0 {
		return nil, release, usagef("--max-per-list must be 0 or more, got %d", f.maxPerList)
	}
	if f.lists == "" && (f.exclude != "" || f.maxPerList > 0) {
		return nil, release, usagef("--exclude and --max-per-list apply to --lists DIR")
	}
	g := clv.GroupOptions{Column: f.groupCol, Months: f.groupMonths}
	g.Grades = nil
	for _, name := range strings.Split(f.groupGrades, ",") {
		g.Grades = append(g.Grades, strings.TrimSpace(name))
	}
	if g.Revenue, err = parseFloatList("--group-revenue", f.groupRevenue); err != nil {
		return nil, release, err
	}
	lines, err := parseFloatList("--group-lines", f.groupLines)
	if err != nil {
		return nil, release, err
	}
	for _, v := range lines {
		if v != float64(int(v)) {
			return nil, release, usagef("--group-lines: %v is not a whole number", v)
		}
		g.Lines = append(g.Lines, int(v))
	}
	g.KeyMembers = f.groupKey
	if err := g.GroupOptions.Validate(); err != nil {
		return nil, release, usageError{err}
	}
	if f.groupMonths < 1 || f.groupMonths > 120 {
		return nil, release, usagef("--group-months %d: want 1 to 120", f.groupMonths)
	}
	c.groups = &g
	if f.exclude != "" {
		if c.exclude, err = campaign.ReadIDs(f.exclude); err != nil {
			return nil, release, fmt.Errorf("--exclude: %w", err)
		}
	}
	if f.previous != "" {
		if c.previous, err = campaign.ReadPrevious(f.previous); err != nil {
			return nil, release, fmt.Errorf("--previous: %w", err)
		}
		if f.previousAsOf != "" {
			if c.previous.AsOf, err = parseFlagDate("--previous-as-of", f.previousAsOf); err != nil {
				return nil, release, err
			}
		}
		a.notef("%s: previous run of %d subscribers", f.previous, c.previous.Len())
	} else if f.previousAsOf != "" {
		return nil, release, usagef("--previous-as-of applies to --previous FILE")
	}
	if f.lists != "" {
		if c.dir, err = render.CreateDir(f.lists, render.OutputOptions{Force: a.global.force}); err != nil {
			return nil, release, err
		}
		release = c.dir.Abort
	}
	return c, release, nil
}

// attributeHeaders maps the attribute names of the subscriber export to its
// headers where the reader renamed them (a Chinese 套餐 read as plan).
func attributeHeaders(l *loaded, subscribers string) map[string]string {
	out := map[string]string{}
	if l == nil || l.subs == nil || subscribers == "" {
		return out
	}
	for _, st := range l.stats {
		if st.File != subscribers && !(subscribers == "-" && st.File == "stdin") {
			continue
		}
		for _, name := range l.subs.AttrNames {
			switch name {
			case "customer", "activation", "churn": // reader roles, not attributes
				continue
			}
			if h, ok := st.Columns[name]; ok {
				out[name] = h
			}
		}
		break
	}
	return out
}

// writeLists writes the lists folder (when --lists) and notes what it holds.
func (a *app) writeLists(c *campaignRun, base *clv.Base, l *loaded, subscribers string) error {
	if c.dir == nil {
		return nil
	}
	lists, err := base.Lists(clv.ListOptions{Exclude: c.exclude, MaxRows: c.f.maxPerList})
	if err != nil {
		return layerError(err)
	}
	headers := campaign.AttributeHeaders(lists.Segments, attributeHeaders(l, subscribers))
	if err := campaign.WriteLists(a.ctx, c.dir, lists, headers); err != nil {
		return err
	}
	rows := 0
	for _, x := range lists.Lists.Lists {
		if x.Action != "" {
			rows += len(x.Rows)
		}
	}
	a.notef("lists: wrote %d action lists (%d subscribers) and %s to %s", len(lists.Lists.Lists)-1, rows, segment.EarlyWarningFile, c.f.lists)
	if c.f.exclude != "" {
		msg := fmt.Sprintf("--exclude %s: %d ids matched and left out, %d not among the subscribers", c.f.exclude, lists.Matched, lists.Unmatched)
		if len(lists.UnmatchedIDs) > 0 {
			msg += fmt.Sprintf(" (e.g. %q)", lists.UnmatchedIDs)
		}
		a.notef("%s", msg)
	}
	return nil
}

// campaignTables returns the extra tables of clv segment: changes (with
// --previous) and groups (with a group column).
func (a *app) campaignTables(c *campaignRun, base *clv.Base) ([]*render.Table, error) {
	var out []*render.Table
	if c.previous != nil {
		ch, err := base.Changes(c.previous)
		if err != nil {
			return nil, layerError(err)
		}
		a.notef("changes since the previous run: %d subscribers in both, %d new, %d gone; %d new early warnings, %d resolved, %d churned since",
			ch.Both, ch.New, ch.Gone, ch.NewWarnings, ch.Resolved, ch.ChurnedSince)
		out = append(out, campaign.ChangesTable(ch))
	}
	g, err := base.Groups(*c.groups)
	if err != nil {
		return nil, layerError(err)
	}
	if g != nil {
		a.notef("groups: %d groups by column %q", len(g.Rows), g.Column)
		out = append(out, campaign.GroupsTable(g))
	}
	return out, nil
}

// segmentLoad checks the segment options before reading the data (usage
// errors first), then reads it.
func (a *app) segmentLoad(in *inputFlags, tf *timeFlags, bf *baseFlags, sf *segmentFlags) (*loaded, error) {
	if _, err := a.baseOptions(tf, bf); err != nil {
		return nil, err
	}
	if _, err := sf.options(tf.discount); err != nil {
		return nil, err
	}
	return a.load(in, true, false)
}
