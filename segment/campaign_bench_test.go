package segment

import (
	"fmt"
	"testing"
)

// benchResult is a segment result of n synthetic customers with the default
// action table.
func benchResult(b *testing.B, n int) *Result {
	b.Helper()
	opt := DefaultOptions()
	opt.Actions = DefaultActions()
	r, err := Build(synthetic(n), opt)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

func BenchmarkLists(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		r := benchResult(b, n)
		var excl []string
		for i := 0; i < r.Len(); i += 100 {
			excl = append(excl, r.IDs[i])
		}
		opt := ListOptions{Actions: DefaultActions(), Exclude: excl, MaxRows: 1000, RiskThreshold: 0.5}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := r.Lists(opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReason(b *testing.B) {
	r := benchResult(b, 10_000)
	opt := DefaultOptions()
	opt.Actions = DefaultActions()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		_ = r.Reason(i%r.Len(), opt)
		i++
	}
}

func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		r := benchResult(b, n)
		prev := &Snapshot{IDs: r.IDs, Stage: r.Stage, CLV: r.CLV, Risk: r.Risk, Tier: make([]string, r.Len())}
		for i := range prev.Tier {
			prev.Tier[i] = r.Tiers[(int(r.Tier[i])+i%2)%len(r.Tiers)]
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Compare(prev, r, 0.5); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
