package rfm

import (
	"strings"
	"testing"
)

func FuzzParseRules(f *testing.F) {
	f.Add("name,r_min,r_max,f_min,f_max,m_min,m_max\nChampions,4,5,4,5,4,5\n")
	f.Add("\ufeffname,r_min\n# comment\n\"a, b\",3\n")
	f.Add("name\nx\n")
	f.Add("r_min,name\n,\n")
	f.Fuzz(func(t *testing.T, in string) {
		rules, err := ParseRules(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(rules) == 0 {
			t.Fatal("no error and no rules")
		}
		for _, u := range rules {
			if strings.TrimSpace(u.Name) == "" {
				t.Fatalf("rule without a name: %+v", u)
			}
			for _, v := range []int{u.R.Min, u.R.Max, u.F.Min, u.F.Max, u.M.Min, u.M.Max} {
				if v < 0 || v > MaxBins {
					t.Fatalf("bound %d outside 0..%d: %+v", v, MaxBins, u)
				}
			}
		}
		// Validation against any bin count must not panic either.
		_ = ValidateRules(rules, 5)
	})
}
