package segment

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// defaultActions is the shipped action table (a copy of examples/actions.csv).
//
//go:embed actions.csv
var defaultActions string

// Action is one row of the action table: in stage Stage and value tier Tier
// ("*" for any tier), recommend Name — provided the customer's value basis
// is at least MinValue; otherwise recommend Otherwise.
type Action struct {
	Stage       Stage
	Tier        string
	Name        string
	MinValue    float64
	Otherwise   string
	Description string
	// Quadrant, when set (HasQuadrant), restricts the row to the customers
	// of one current × potential quadrant; such rows take precedence over
	// the stage × tier rows for those customers.
	Quadrant    Quadrant
	HasQuadrant bool
}

// ActionTable maps a stage × value tier cell to an action. Rows naming a tier
// take precedence over "*" rows of the same stage.
type ActionTable struct {
	Rows []Action
}

// DefaultActions returns the shipped action table.
func DefaultActions() *ActionTable {
	t, err := ParseActions(strings.NewReader(defaultActions))
	if err != nil {
		panic("segment: embedded action table: " + err.Error())
	}
	return t
}

// ParseActions reads an action table in CSV with the header
// stage,tier,action,min_value,otherwise,description,quadrant (the last four
// optional; lines starting with # are comments). A row with a quadrant
// (stars, potentials — also spelled improvement —, cash cows, low value)
// applies to the customers of that quadrant only. It fails on an unknown stage, a
// duplicate cell or a bad number.
func ParseActions(r io.Reader) (*ActionTable, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: action table is empty", ErrRules)
		}
		return nil, fmt.Errorf("%w: action table: %v", ErrRules, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"stage", "tier", "action"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%w: action table: no %q column (header must be stage,tier,action[,min_value,otherwise,description])", ErrRules, need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	t := &ActionTable{}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: action table: %v", ErrRules, err)
		}
		line, _ := cr.FieldPos(0)
		st, err := ParseStage(strings.ToLower(get(rec, "stage")))
		if err != nil {
			return nil, fmt.Errorf("%w: action table line %d: %v", ErrRules, line, err)
		}
		a := Action{Stage: st, Tier: get(rec, "tier"), Name: get(rec, "action"),
			Otherwise: get(rec, "otherwise"), Description: get(rec, "description")}
		if q := strings.ToLower(get(rec, "quadrant")); q != "" {
			a.Quadrant, err = ParseQuadrant(q)
			if err != nil {
				return nil, fmt.Errorf("%w: action table line %d: %v", ErrRules, line, err)
			}
			a.HasQuadrant = true
		}
		if a.Tier == "" || a.Name == "" {
			return nil, fmt.Errorf("%w: action table line %d: tier and action must not be empty", ErrRules, line)
		}
		if s := get(rec, "min_value"); s != "" {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: action table line %d: min_value %q is not a number", ErrRules, line, s)
			}
			a.MinValue = v
			if a.Otherwise == "" {
				a.Otherwise = "no action"
			}
		}
		key := st.String() + "\x00" + a.Tier
		if a.HasQuadrant {
			key += "\x00" + a.Quadrant.String()
		}
		if prev, ok := seen[key]; ok {
			return nil, fmt.Errorf("%w: action table line %d: stage %s tier %s already set on line %d", ErrRules, line, st, a.Tier, prev)
		}
		seen[key] = line
		t.Rows = append(t.Rows, a)
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("%w: action table has no rows", ErrRules)
	}
	return t, nil
}

// find returns the row for a stage and tier, or nil (rows of a quadrant
// are left out).
func (t *ActionTable) find(st Stage, tier string) *Action {
	return t.findIn(st, tier, false, 0)
}

// findIn returns the row for a stage and tier among the rows of quadrant q
// (hasQ) or the rows without a quadrant, or nil.
func (t *ActionTable) findIn(st Stage, tier string, hasQ bool, q Quadrant) *Action {
	var wild *Action
	for i := range t.Rows {
		a := &t.Rows[i]
		if a.Stage != st || a.HasQuadrant != hasQ || (hasQ && a.Quadrant != q) {
			continue
		}
		if a.Tier == tier {
			return a
		}
		if a.Tier == "*" {
			wild = a
		}
	}
	return wild
}

// Covers reports an error wrapping ErrRules listing the stage × tier cells
// the table leaves without an action.
func (t *ActionTable) Covers(tiers []string) error {
	var missing []string
	for _, st := range Stages {
		for _, tier := range tiers {
			if t.find(st, tier) == nil {
				missing = append(missing, st.String()+"/"+tier)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: action table has no action for %s (add rows, or a row with tier *)", ErrRules, strings.Join(missing, ", "))
	}
	return nil
}

// Cell returns the action row of a stage × tier cell, or nil when none.
func (t *ActionTable) Cell(st Stage, tier string) *Action { return t.find(st, tier) }

// Lookup returns the action for a customer in stage st and tier with the
// given value basis, or "" when the table has no such cell.
func (t *ActionTable) Lookup(st Stage, tier string, value float64) string {
	return lookup(t.find(st, tier), value)
}

// LookupQuadrant is Lookup for a customer in quadrant q: a row of that
// quadrant for the stage and tier comes first.
func (t *ActionTable) LookupQuadrant(st Stage, tier string, q Quadrant, value float64) string {
	if a := t.findIn(st, tier, true, q); a != nil {
		return lookup(a, value)
	}
	return lookup(t.find(st, tier), value)
}

// QuadrantRows returns the rows of quadrant q.
func (t *ActionTable) QuadrantRows(q Quadrant) []Action {
	var out []Action
	for _, a := range t.Rows {
		if a.HasQuadrant && a.Quadrant == q {
			out = append(out, a)
		}
	}
	return out
}

func lookup(a *Action, value float64) string {
	if a == nil {
		return ""
	}
	if value < a.MinValue {
		return a.Otherwise
	}
	return a.Name
}
