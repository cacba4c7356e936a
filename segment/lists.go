package segment

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// ListOptions control Result.Lists.
type ListOptions struct {
	// Actions orders the action lists (by first mention in its rows, the
	// otherwise action after the action); nil orders them by name.
	Actions *ActionTable
	// Exclude are customer ids not to contact (a do-not-contact list); they
	// are left out of every list and counted.
	Exclude []string
	// MaxRows caps each list (0: no cap); the rows cut are counted.
	MaxRows int
	// RiskThreshold is the early-warning threshold (Result.EarlyWarning).
	RiskThreshold float64
}

// List is one campaign list: the customers of one action, or the early
// warning list.
type List struct {
	// File is the list's file name: action_<name>.csv, or early_warning.csv.
	File string
	// Action is the action of the list ("" for the early-warning list).
	Action string
	// Cells are the stage/tier cells its customers come from, in stage then
	// tier order (before exclusion and the cap).
	Cells []string
	// Rows are the result rows on the list after exclusion and the cap, by
	// value at risk descending, ties by id.
	Rows []int
	// Eligible counts the customers before exclusion; Excluded those left
	// out by the do-not-contact list; Truncated those cut by the cap:
	// len(Rows) = Eligible − Excluded − Truncated.
	Eligible, Excluded, Truncated int
	// Value and ValueAtRisk are the sums of CLV and value at risk over Rows.
	Value, ValueAtRisk float64
}

// Lists are the campaign lists of a segment result.
type Lists struct {
	// Lists holds one list per action (every customer with an action is on
	// exactly one), then the early-warning list.
	Lists []List
	// Matched counts the distinct excluded ids found among the customers;
	// Unmatched those not found (Unmatched ids are listed, at most 5, in
	// the order given).
	Matched, Unmatched int
	UnmatchedIDs       []string
	// NoAction counts customers without an action (no action table).
	NoAction int
}

// EarlyWarningFile is the file name of the early-warning list.
const EarlyWarningFile = "early_warning.csv"

// Lists splits the customers into one list per action and the early-warning
// list (see EarlyWarning), each ordered by value at risk (Basis × Risk)
// descending, ties by id, without the excluded ids, and cut to MaxRows.
func (r *Result) Lists(opt ListOptions) (*Lists, error) {
	if opt.MaxRows < 0 {
		return nil, fmt.Errorf("%w: list cap %d is negative", ErrRules, opt.MaxRows)
	}
	out := &Lists{}
	var byID map[string]int
	if len(opt.Exclude) > 0 {
		byID = make(map[string]int, len(r.IDs))
		for i, id := range r.IDs {
			byID[id] = i
		}
	}
	excluded := make([]bool, len(r.IDs))
	seen := map[string]bool{}
	for _, id := range opt.Exclude {
		if seen[id] {
			continue
		}
		seen[id] = true
		if i, ok := byID[id]; ok {
			excluded[i] = true
			out.Matched++
			continue
		}
		out.Unmatched++
		if len(out.UnmatchedIDs) < 5 {
			out.UnmatchedIDs = append(out.UnmatchedIDs, id)
		}
	}
	members := map[string][]int{}
	for i, a := range r.Action {
		if a == "" {
			out.NoAction++
			continue
		}
		members[a] = append(members[a], i)
	}
	files := map[string]bool{EarlyWarningFile: true}
	for _, a := range actionOrder(members, opt.Actions) {
		rows := members[a]
		r.byValueAtRisk(rows)
		l := List{File: uniqueFile("action_"+Slug(a), files), Action: a, Cells: r.cells(rows)}
		r.fill(&l, rows, excluded, opt.MaxRows)
		out.Lists = append(out.Lists, l)
	}
	warn := r.EarlyWarning(opt.RiskThreshold, -1)
	l := List{File: EarlyWarningFile, Cells: r.cells(warn)}
	r.fill(&l, warn, excluded, opt.MaxRows)
	out.Lists = append(out.Lists, l)
	return out, nil
}

// fill sets the rows, counts and totals of l from rows (already ordered).
func (r *Result) fill(l *List, rows []int, excluded []bool, maxRows int) {
	l.Eligible = len(rows)
	l.Rows = make([]int, 0, len(rows))
	for _, i := range rows {
		if excluded[i] {
			l.Excluded++
			continue
		}
		if maxRows > 0 && len(l.Rows) == maxRows {
			l.Truncated++
			continue
		}
		l.Rows = append(l.Rows, i)
		l.Value += r.CLV[i]
		l.ValueAtRisk += r.ValueAtRisk[i]
	}
}

// byValueAtRisk orders rows by value at risk descending, ties by id.
func (r *Result) byValueAtRisk(rows []int) {
	slices.SortFunc(rows, func(a, b int) int {
		if c := cmp.Compare(r.ValueAtRisk[b], r.ValueAtRisk[a]); c != 0 {
			return c
		}
		return cmp.Compare(r.IDs[a], r.IDs[b])
	})
}

// cells lists the stage/tier cells of rows in stage then tier order.
func (r *Result) cells(rows []int) []string {
	has := make([]bool, NumStages*len(r.Tiers))
	for _, i := range rows {
		has[int(r.Stage[i])*len(r.Tiers)+int(r.Tier[i])] = true
	}
	var out []string
	for k, ok := range has {
		if ok {
			out = append(out, Stage(k/len(r.Tiers)).String()+"/"+r.Tiers[k%len(r.Tiers)])
		}
	}
	return out
}

// actionOrder returns the actions of members in the order of the table's
// rows (action, then otherwise), the rest by name.
func actionOrder(members map[string][]int, t *ActionTable) []string {
	var order []string
	done := map[string]bool{}
	take := func(a string) {
		if _, ok := members[a]; ok && !done[a] {
			done[a] = true
			order = append(order, a)
		}
	}
	if t != nil {
		for _, row := range t.Rows {
			take(row.Name)
			take(row.Otherwise)
		}
	}
	var rest []string
	for a := range members {
		if !done[a] {
			rest = append(rest, a)
		}
	}
	slices.Sort(rest)
	return append(order, rest...)
}

// Slug turns an action name into a file-name part: letters and digits
// (any script) lower-cased, every other run of characters one underscore,
// none at either end; "action" when nothing is left.
func Slug(name string) string {
	var b strings.Builder
	under := false
	for _, c := range name {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(c))
			continue
		}
		under = true
	}
	if b.Len() == 0 {
		return "action"
	}
	return b.String()
}

// uniqueFile returns base.csv, or base_2.csv, base_3.csv, ... when taken,
// and marks it taken.
func uniqueFile(base string, taken map[string]bool) string {
	name := base + ".csv"
	for k := 2; taken[name]; k++ {
		name = fmt.Sprintf("%s_%d.csv", base, k)
	}
	taken[name] = true
	return name
}
