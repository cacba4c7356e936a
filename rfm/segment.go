package rfm

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Others is the segment of customers no rule matches.
const Others = "Others"

// Range is an inclusive score range. A zero bound is open: Min 0 means from
// 1, Max 0 means up to the number of bins.
type Range struct{ Min, Max int }

// contains reports whether score s lies in r (open bounds resolved for k bins).
func (r Range) contains(s, k int) bool {
	lo, hi := r.bounds(k)
	return s >= lo && s <= hi
}

func (r Range) bounds(k int) (lo, hi int) {
	lo, hi = r.Min, r.Max
	if lo == 0 {
		lo = 1
	}
	if hi == 0 {
		hi = k
	}
	return lo, hi
}

// String formats r as "1-5" (open bounds as given: "-3", "4-", "any").
func (r Range) String() string {
	switch {
	case r.Min == 0 && r.Max == 0:
		return "any"
	case r.Min == r.Max:
		return strconv.Itoa(r.Min)
	case r.Min == 0:
		return "-" + strconv.Itoa(r.Max)
	case r.Max == 0:
		return strconv.Itoa(r.Min) + "-"
	}
	return strconv.Itoa(r.Min) + "-" + strconv.Itoa(r.Max)
}

// Rule names the customers whose scores lie in all three ranges.
type Rule struct {
	Name    string
	R, F, M Range
}

// Matches reports whether scores r, f, m on 1..k satisfy the rule.
func (u Rule) Matches(r, f, m, k int) bool {
	return u.R.contains(r, k) && u.F.contains(f, k) && u.M.contains(m, k)
}

// defaultRules are the ten named segments on the 1..5 scale, a partition of
// the R×F grid (see the package documentation).
var defaultRules = []Rule{
	{Name: "Champions", R: Range{5, 5}, F: Range{4, 5}},
	{Name: "Loyal Customers", R: Range{3, 4}, F: Range{4, 5}},
	{Name: "Potential Loyalist", R: Range{4, 5}, F: Range{2, 3}},
	{Name: "New Customers", R: Range{5, 5}, F: Range{1, 1}},
	{Name: "Promising", R: Range{4, 4}, F: Range{1, 1}},
	{Name: "Need Attention", R: Range{3, 3}, F: Range{3, 3}},
	{Name: "About To Sleep", R: Range{3, 3}, F: Range{1, 2}},
	{Name: "At Risk", R: Range{1, 2}, F: Range{3, 4}},
	{Name: "Can't Lose Them", R: Range{1, 2}, F: Range{5, 5}},
	{Name: "Lost", R: Range{1, 2}, F: Range{1, 2}},
}

// DefaultRules returns the ten default segment rules for scores on 1..bins.
// The rules are written for 5 bins; for another k a score s counts as
// 1 + round(4(s−1)/(k−1)) on the 1..5 scale, and a rule that no score can
// reach on the k scale is left out.
func DefaultRules(bins int) []Rule {
	if bins == 5 || bins < 2 {
		return append([]Rule(nil), defaultRules...)
	}
	to5 := func(s int) int { return 1 + int(math.Round(4*float64(s-1)/float64(bins-1))) }
	scale := func(r Range) (Range, bool) {
		lo, hi := r.bounds(5)
		out := Range{}
		for s := 1; s <= bins; s++ {
			if v := to5(s); v >= lo && v <= hi {
				if out.Min == 0 {
					out.Min = s
				}
				out.Max = s
			}
		}
		return out, out.Min != 0
	}
	var rules []Rule
	for _, u := range defaultRules {
		r, ok1 := scale(u.R)
		f, ok2 := scale(u.F)
		m, ok3 := scale(u.M)
		if ok1 && ok2 && ok3 {
			rules = append(rules, Rule{Name: u.Name, R: r, F: f, M: m})
		}
	}
	return rules
}

// maxRules bounds the rule set so segment indices fit in a uint16.
const maxRules = 10000

// ErrNoRules is returned for an empty rule set.
var ErrNoRules = errors.New("rfm: the segment rule set is empty")

// ValidateRules checks rules for scores on 1..bins: at least one rule, every
// rule named, every bound within 1..bins and no range with min above max.
// Overlapping rules are allowed; order decides.
func ValidateRules(rules []Rule, bins int) error {
	if len(rules) == 0 {
		return ErrNoRules
	}
	if len(rules) > maxRules {
		return fmt.Errorf("rfm: %d segment rules, at most %d are supported", len(rules), maxRules)
	}
	for j, u := range rules {
		if strings.TrimSpace(u.Name) == "" {
			return fmt.Errorf("rfm: segment rule %d has no name", j+1)
		}
		for _, d := range []struct {
			dim string
			r   Range
		}{{"r", u.R}, {"f", u.F}, {"m", u.M}} {
			for _, b := range []struct {
				side string
				v    int
			}{{"min", d.r.Min}, {"max", d.r.Max}} {
				if b.v < 0 || b.v > bins {
					return fmt.Errorf("rfm: segment rule %d %q: %s_%s %d is outside the scores 1..%d", j+1, u.Name, d.dim, b.side, b.v, bins)
				}
			}
			if lo, hi := d.r.bounds(bins); lo > hi {
				return fmt.Errorf("rfm: segment rule %d %q: %s_min %d is above %s_max %d", j+1, u.Name, d.dim, lo, d.dim, hi)
			}
		}
	}
	return nil
}

// Segmentation assigns every scored customer a segment.
type Segmentation struct {
	// Names are the segment names in rule order (a name used by several
	// rules appears once, where it first appears), followed by Others when
	// the rules leave some score combination unmatched.
	Names []string
	// Of is, per customer, the index of its segment in Names.
	Of []uint16
}

// Name returns customer i's segment name.
func (g *Segmentation) Name(i int) string { return g.Names[g.Of[i]] }

// Segment matches every customer of s against rules, first match wins;
// unmatched customers are in Others. Rules are validated against s.Bins.
func Segment(s *Scores, rules []Rule) (*Segmentation, error) {
	k := s.Bins
	if err := ValidateRules(rules, k); err != nil {
		return nil, err
	}
	g := &Segmentation{Of: make([]uint16, s.Len())}
	index := map[string]uint16{}
	ruleSeg := make([]uint16, len(rules))
	for j, u := range rules {
		id, ok := index[u.Name]
		if !ok {
			id = uint16(len(g.Names))
			index[u.Name] = id
			g.Names = append(g.Names, u.Name)
		}
		ruleSeg[j] = id
	}
	// Resolve the rules once per score combination (at most 9³ cells).
	const none = math.MaxUint16
	table := make([]uint16, 1000)
	others := false
	for r := 1; r <= k; r++ {
		for f := 1; f <= k; f++ {
			for m := 1; m <= k; m++ {
				c := 100*r + 10*f + m
				table[c] = none
				for j, u := range rules {
					if u.Matches(r, f, m, k) {
						table[c] = ruleSeg[j]
						break
					}
				}
				if table[c] == none {
					others = true
				}
			}
		}
	}
	if others {
		id, ok := index[Others]
		if !ok {
			id = uint16(len(g.Names))
			g.Names = append(g.Names, Others)
		}
		for c, v := range table {
			if v == none {
				table[c] = id
			}
		}
	}
	for i := range g.Of {
		g.Of[i] = table[s.Cell(i)]
	}
	return g, nil
}

// ruleColumns are the columns a rules file may have.
var ruleColumns = []string{"name", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"}

// ParseRules reads segment rules from CSV: a header naming some of the
// columns name, r_min, r_max, f_min, f_max, m_min, m_max (name is required;
// any order), then one rule per line. An absent column or an empty field
// leaves that bound open. Lines starting with # are comments. Unknown or
// repeated columns, non-integer bounds and an empty rule set are errors; the
// bounds are checked against the number of bins by ValidateRules.
func ParseRules(r io.Reader) ([]Rule, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3) // a UTF-8 byte-order mark, as spreadsheet programs write
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: the rules file has no header", ErrNoRules)
	}
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	col := map[string]int{}
	for j, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range ruleColumns {
			known = known || c == h
		}
		if !known {
			return nil, fmt.Errorf("rules: line 1: unknown column %q (allowed: %s)", h, strings.Join(ruleColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("rules: line 1: column %q appears twice", h)
		}
		col[h] = j
	}
	if _, ok := col["name"]; !ok {
		return nil, fmt.Errorf("rules: line 1: the header has no %q column", "name")
	}
	var rules []Rule
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, fmt.Errorf("rules: line %d: %d fields, the header has %d", line, len(rec), len(header))
		}
		u := Rule{Name: strings.TrimSpace(rec[col["name"]])}
		if u.Name == "" {
			return nil, fmt.Errorf("rules: line %d: empty segment name", line)
		}
		for _, b := range []struct {
			name string
			dst  *int
		}{{"r_min", &u.R.Min}, {"r_max", &u.R.Max}, {"f_min", &u.F.Min}, {"f_max", &u.F.Max}, {"m_min", &u.M.Min}, {"m_max", &u.M.Max}} {
			j, ok := col[b.name]
			if !ok {
				continue
			}
			f := strings.TrimSpace(rec[j])
			if f == "" {
				continue
			}
			v, err := strconv.Atoi(f)
			if err != nil || v < 1 || v > MaxBins {
				return nil, fmt.Errorf("rules: line %d: column %q: %q is not a score 1..%d", line, b.name, f, MaxBins)
			}
			*b.dst = v
		}
		rules = append(rules, u)
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("%w: the rules file has a header but no rule", ErrNoRules)
	}
	return rules, nil
}
