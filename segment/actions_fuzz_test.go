package segment

import (
	"strings"
	"testing"
)

// FuzzParseActions: the action-table parser never panics, and a table it
// accepts has named rows with known stages that Lookup can use.
func FuzzParseActions(f *testing.F) {
	f.Add(defaultActions)
	f.Add("stage,tier,action\nchurned,*,x\n")
	f.Add("stage,tier,action,min_value,otherwise\nchurned,gold,win,1e3,\n")
	f.Add("tier,stage,action\n\"gold\",\"decline\",\"call, then mail\"\n")
	f.Add("stage,tier,action,min_value\ndecline,*,x,NaN\n")
	f.Add("stage,tier,action,quadrant\ngrowth,*,x,potentials\ngrowth,*,y,\n")
	f.Fuzz(func(t *testing.T, text string) {
		a, err := ParseActions(strings.NewReader(text))
		if err != nil {
			return
		}
		if len(a.Rows) == 0 {
			t.Fatal("accepted a table without rows")
		}
		for _, r := range a.Rows {
			if r.Stage < 0 || int(r.Stage) >= NumStages || r.Tier == "" || r.Name == "" {
				t.Fatalf("accepted row %+v", r)
			}
			if r.HasQuadrant {
				if got := a.LookupQuadrant(r.Stage, r.Tier, r.Quadrant, r.MinValue); got != r.Name {
					t.Fatalf("LookupQuadrant(%v, %q, %v, %g) = %q, want %q", r.Stage, r.Tier, r.Quadrant, r.MinValue, got, r.Name)
				}
				continue
			}
			if got := a.Lookup(r.Stage, r.Tier, r.MinValue); got != r.Name {
				t.Fatalf("Lookup(%v, %q, %g) = %q, want %q", r.Stage, r.Tier, r.MinValue, got, r.Name)
			}
		}
		_ = a.Covers(DefaultTierNames(4))
	})
}
