package read

import (
	"math"
	"slices"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
)

// dedupeTransactions drops rows equal in customer, day and amount to an
// earlier row, keeping the first occurrence and the file order. It returns
// the number of rows dropped. Rows are grouped by customer with a counting
// sort, so the cost is linear plus a sort of each customer's own rows.
func dedupeTransactions(t *dataset.Transactions) int64 {
	n := len(t.Customer)
	nc := len(t.IDs)
	start := make([]int32, nc+1)
	for _, c := range t.Customer {
		start[c+1]++
	}
	for c := 0; c < nc; c++ {
		start[c+1] += start[c]
	}
	order := make([]int32, n)
	fill := slices.Clone(start[:nc])
	for i, c := range t.Customer {
		order[fill[c]] = int32(i)
		fill[c]++
	}
	drop := make([]bool, n)
	var dropped int64
	for c := 0; c < nc; c++ {
		rows := order[start[c]:start[c+1]]
		if len(rows) < 2 {
			continue
		}
		slices.SortFunc(rows, func(a, b int32) int {
			if d := int(t.Day[a]) - int(t.Day[b]); d != 0 {
				return d
			}
			ba, bb := math.Float64bits(t.Amount[a]), math.Float64bits(t.Amount[b])
			switch {
			case ba < bb:
				return -1
			case ba > bb:
				return 1
			}
			return int(a - b)
		})
		for k := 1; k < len(rows); k++ {
			a, b := rows[k-1], rows[k]
			if t.Day[a] == t.Day[b] && math.Float64bits(t.Amount[a]) == math.Float64bits(t.Amount[b]) {
				drop[b] = true // b > a: a later row
				dropped++
			}
		}
	}
	if dropped == 0 {
		return 0
	}
	w := 0
	for i := 0; i < n; i++ {
		if drop[i] {
			continue
		}
		t.Customer[w], t.Day[w], t.Amount[w] = t.Customer[i], t.Day[i], t.Amount[i]
		w++
	}
	t.Customer, t.Day, t.Amount = t.Customer[:w], t.Day[:w], t.Amount[:w]
	return dropped
}

// dedupeSubscribers drops rows identical in every field to an earlier row.
func dedupeSubscribers(s *dataset.Subscribers) int64 {
	seen := make(map[string]bool, s.Len())
	var b strings.Builder
	w := 0
	for i := range s.ID {
		b.Reset()
		b.WriteString(s.ID[i])
		b.WriteByte(0)
		b.WriteString(s.Activation[i].String())
		b.WriteByte(0)
		b.WriteString(s.Churn[i].String())
		for k := range s.Attrs {
			b.WriteByte(0)
			b.WriteString(s.Attrs[k][i])
		}
		key := b.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		s.ID[w], s.Activation[w], s.Churn[w] = s.ID[i], s.Activation[i], s.Churn[i]
		for k := range s.Attrs {
			s.Attrs[k][w] = s.Attrs[k][i]
		}
		w++
	}
	dropped := int64(len(s.ID) - w)
	s.ID, s.Activation, s.Churn = s.ID[:w], s.Activation[:w], s.Churn[:w]
	for k := range s.Attrs {
		s.Attrs[k] = s.Attrs[k][:w]
	}
	return dropped
}

// dedupeSummary drops summary rows identical to an earlier row in id, x,
// t_x, T and monetary.
func dedupeSummary(s *dataset.Summary) int64 {
	type key struct {
		id       string
		x        int32
		tx, t, m float64
	}
	seen := make(map[key]bool, s.Len())
	keep := make([]int, 0, s.Len())
	for i := range s.IDs {
		k := key{id: s.IDs[i], x: s.X[i], tx: s.Tx[i], t: s.T[i]}
		if s.Monetary != nil {
			k.m = s.Monetary[i]
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		keep = append(keep, i)
	}
	dropped := int64(s.Len() - len(keep))
	if dropped == 0 {
		return 0
	}
	s.IDs = pick(s.IDs, keep)
	s.X, s.Tx, s.T = pick(s.X, keep), pick(s.Tx, keep), pick(s.T, keep)
	s.Monetary, s.First, s.Last = pick(s.Monetary, keep), pick(s.First, keep), pick(s.Last, keep)
	s.Activation, s.Transactions, s.Periods = pick(s.Activation, keep), pick(s.Transactions, keep), pick(s.Periods, keep)
	s.Total, s.Mean, s.Recency, s.Tenure = pick(s.Total, keep), pick(s.Mean, keep), pick(s.Recency, keep), pick(s.Tenure, keep)
	return dropped
}

func pick[T any](v []T, keep []int) []T {
	if v == nil {
		return nil
	}
	out := v[:0]
	for _, i := range keep {
		out = append(out, v[i])
	}
	return out
}
