package read

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

// BenchmarkAggregatorLane times the interning and accumulating of rows
// whose customers are already known (the steady state of a large read:
// 93% of the rows of the 100M-row telecom export), one lane, on bases of
// 10^5 customers (tables in cache) and 4·10^6 (tables of about 400 MB:
// nearly every row misses the cache). Rows come in batches of streamBatchBlocks blocks of
// 2^15 rows, customers at random, as in a date-ordered export.
func BenchmarkAggregatorLane(b *testing.B) {
	for _, customers := range []int{1e5, 4e6} {
		b.Run(fmt.Sprintf("customers=%d", customers), func(b *testing.B) {
			g := newAggregator(dataset.NoDay)
			r := rand.New(rand.NewPCG(5, 6))
			const rows = 1 << 15
			newBatch := func(ids func(i int) int, day dataset.Day) []*txBlock {
				batch := make([]*txBlock, streamBatchBlocks)
				for k := range batch {
					t := &txBlock{}
					for i := range rows {
						id := strconv.AppendInt([]byte{'S'}, int64(100000000+ids(k*rows+i)), 10)
						t.add(g.hs, id, day, float64(r.IntN(10000))/100)
					}
					t.group()
					batch[k] = t
				}
				return batch
			}
			base := make([]int, streamBatchBlocks)
			intern := func(batch []*txBlock) {
				if err := g.parts.intern(batch, base, nil, 1, g); err != nil {
					b.Fatal(err)
				}
				for k := range base {
					base[k] += streamBatchBlocks * rows
				}
			}
			day := dataset.Civil(2023, 1, 1)
			for c := 0; c < customers; c += streamBatchBlocks * rows {
				intern(newBatch(func(i int) int { return (c + i) % customers }, day))
			}
			batches := make([][]*txBlock, 4)
			for i := range batches {
				day++
				batches[i] = newBatch(func(int) int { return r.IntN(customers) }, day)
			}
			b.ResetTimer()
			n := 0
			for b.Loop() {
				intern(batches[n%len(batches)])
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*streamBatchBlocks*rows), "ns/row")
		})
	}
}
