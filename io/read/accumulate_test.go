package read

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/clvkit/clv/clv/dataset"
)

// orderedRows returns the rows of a small synthetic base in date order
// (the generator's file order), customer order and random order, plus a
// copy with duplicated rows.
func orderedRows(t testing.TB) map[string][]txRow {
	rows, _ := synthRows(t, 300, 12)
	byCust := slices.Clone(rows)
	sort.SliceStable(byCust, func(i, j int) bool { return byCust[i].id < byCust[j].id })
	random := slices.Clone(rows)
	r := rand.New(rand.NewPCG(11, 3))
	r.Shuffle(len(random), func(i, j int) { random[i], random[j] = random[j], random[i] })
	dup := slices.Clone(random)
	for i := 0; i < len(random); i += 7 {
		dup = append(dup, random[i])
	}
	// Customer order with each customer's rows of one 30-day month shuffled
	// (a billing export listing a month's bill and top-ups in any order).
	month := slices.Clone(byCust)
	sort.SliceStable(month, func(i, j int) bool {
		if month[i].id != month[j].id {
			return month[i].id < month[j].id
		}
		return month[i].day/30 < month[j].day/30
	})
	for i := 0; i < len(month); {
		j := i + 1
		for j < len(month) && month[j].id == month[i].id && month[j].day/30 == month[i].day/30 {
			j++
		}
		r.Shuffle(j-i, func(a, b int) { month[i+a], month[i+b] = month[i+b], month[i+a] })
		i = j
	}
	back := 0
	for i := 1; i < len(month); i++ {
		if month[i].id == month[i-1].id && month[i].day < month[i-1].day {
			back++
		}
	}
	if back < 100 {
		t.Fatalf("the month-shuffled rows go back in time only %d times", back)
	}
	// Rows of one customer on one day, back in time (within the window of
	// dataset.Window days, and once beyond it) and at the same day as the
	// first: the cases the on-the-fly counting must get right.
	d0 := rows[len(rows)/2].day
	tricky := []txRow{{"X1", d0 + 5, 1.1}, {"X1", d0 + 5, 2.2}, {"X1", d0, 3.3}, {"X1", d0 + 5, 4.4}, {"X1", d0, 0.1},
		{"X2", d0, 7}, {"X2", d0, -7}, {"X2", d0 + 1, 0.3}, {"X2", d0 + 1, 0.1},
		{"X3", d0 + 40, 2}, {"X3", d0 + 9, 1}, {"X3", d0 + 40, 5}, {"X3", d0 + 39, 1}, {"X3", d0 + 8, 3}, {"X3", d0 + 9, 4}}
	return map[string][]txRow{"date": rows, "customer": byCust, "month": month, "random": random, "duplicates": dup,
		"tricky": append(slices.Clone(rows[:50]), tricky...)}
}

// midDay returns a day two thirds into the rows' date range.
func midDay(rows []txRow) dataset.Day {
	lo, hi := rows[0].day, rows[0].day
	for _, r := range rows {
		lo, hi = min(lo, r.day), max(hi, r.day)
	}
	return lo + (hi-lo)*2/3
}

// summaryBoth reads name with Transactions + dataset.Summarize (the
// materialising path) and with Accumulate + Summary (the streaming path).
func summaryBoth(t *testing.T, name string, opt Options, asOf dataset.Day) (want, got *dataset.Summary, wantCheck, gotCheck dataset.Sanity, acc *Accumulated) {
	t.Helper()
	var rw, rg bytes.Buffer
	ow, og := opt, opt
	ow.Rejects, og.Rejects = &rw, &rg
	tx, sw, errW := Transactions(name, ow)
	acc, sg, errG := Accumulate(name, og, asOf)
	if (errW == nil) != (errG == nil) || (errW != nil && errW.Error() != errG.Error()) {
		t.Fatalf("errors differ: materialising %v, streaming %v", errW, errG)
	}
	if errW != nil {
		return nil, nil, dataset.Sanity{}, dataset.Sanity{}, nil
	}
	if !reflect.DeepEqual(sw, sg) {
		t.Fatalf("stats differ: %+v vs %+v", sw, sg)
	}
	if rw.String() != rg.String() {
		t.Fatalf("rejects differ:\n%s\nvs\n%s", rw.String(), rg.String())
	}
	so := dataset.SummaryOptions{AsOf: asOf, Unit: dataset.UnitWeek}
	want, err := dataset.Summarize(tx, so)
	if err != nil {
		t.Fatal(err)
	}
	got, err = acc.Summary(so)
	if err != nil {
		t.Fatal(err)
	}
	return want, got, dataset.Check(tx, nil, nil, dataset.CheckOptions{}), dataset.CheckAccumulated(acc.Accumulated, acc.Days, dataset.CheckOptions{}), acc
}

// TestAccumulateMatchesSummarize: the streaming summary equals the
// materialising one field for field (floats bit for bit), whatever the row
// order, block size, parallelism or as-of day.
func TestAccumulateMatchesSummarize(t *testing.T) {
	defer func(old int) { blockSize = old }(blockSize)
	dir := t.TempDir()
	header := []string{"subscriber_id", "date", "amount"}
	sets := orderedRows(t)
	mid := midDay(sets["date"])
	for order, rows := range sets {
		name := writeTxCSV(t, dir, order+".csv", header, rows)
		for _, bs := range []int{512, 4 << 20} {
			for _, w := range []int{1, 3} {
				for _, asOf := range []dataset.Day{dataset.NoDay, mid} {
					t.Run(fmt.Sprintf("%s/block%d/workers%d/asof%s", order, bs, w, asOf), func(t *testing.T) {
						blockSize = bs
						want, got, wc, gc, acc := summaryBoth(t, name, Options{Workers: w}, asOf)
						if !reflect.DeepEqual(want, got) {
							diffSummary(t, want, got)
						}
						if !reflect.DeepEqual(wc, gc) {
							t.Fatalf("checks differ:\n%+v\n%+v", wc, gc)
						}
						// Date- and customer-ordered exports need no second
						// pass, nor do rows shuffled within a month.
						if wantPasses := map[bool]int{true: 1, false: 2}[order == "date" || order == "customer" || order == "month"]; acc.Passes != wantPasses {
							t.Fatalf("%d passes, want %d", acc.Passes, wantPasses)
						}
					})
				}
			}
		}
	}
}

// diffSummary reports the first differing field of two summaries.
func diffSummary(t *testing.T, want, got *dataset.Summary) {
	t.Helper()
	wv, gv := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	for i := range wv.NumField() {
		if !reflect.DeepEqual(wv.Field(i).Interface(), gv.Field(i).Interface()) {
			f := wv.Type().Field(i).Name
			if wv.Field(i).Kind() == reflect.Slice {
				for j := range min(wv.Field(i).Len(), gv.Field(i).Len()) {
					if !reflect.DeepEqual(wv.Field(i).Index(j).Interface(), gv.Field(i).Index(j).Interface()) {
						t.Fatalf("%s[%d] (customer %s): materialising %v, streaming %v", f, j, want.IDs[j], wv.Field(i).Index(j), gv.Field(i).Index(j))
					}
				}
			}
			t.Fatalf("%s differs: %v vs %v", f, wv.Field(i), gv.Field(i))
		}
	}
}

// TestAccumulateRejects: bad rows are reported once, as by Transactions,
// also when a second pass re-reads the file; a read stopped by a bad row
// fails alike.
func TestAccumulateRejects(t *testing.T) {
	defer func(old int) { blockSize = old }(blockSize)
	blockSize = 256
	var b strings.Builder
	b.WriteString("customer_id,date,amount\n")
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 3000 {
		amt := fmt.Sprintf("%d.%02d", r.IntN(100), r.IntN(100))
		date := (dataset.Civil(2024, 1, 1) + dataset.Day(r.IntN(300))).String()
		switch i % 401 {
		case 100:
			amt = "oops"
		case 200:
			date = "2024-02-30"
		}
		fmt.Fprintf(&b, "c%d,%s,%s\n", r.IntN(200), date, amt)
	}
	name := writeFile(t, "tx.csv", b.String())
	for _, opt := range []Options{{MaxErrors: 100}, {MaxErrors: 3}, {}} {
		t.Run(fmt.Sprint("max", opt.MaxErrors), func(t *testing.T) {
			want, got, _, _, acc := summaryBoth(t, name, opt, dataset.NoDay)
			if want == nil {
				return // both failed with the same error
			}
			if acc.Passes != 2 {
				t.Fatalf("%d passes, want 2 (random order)", acc.Passes)
			}
			if !reflect.DeepEqual(want, got) {
				diffSummary(t, want, got)
			}
		})
	}
}

// TestAccumulateParquet: the same for a Parquet file in random row order.
func TestAccumulateParquet(t *testing.T) {
	defer func(old int) { sinkBlockRows = old }(sinkBlockRows)
	sinkBlockRows = 100
	rows := orderedRows(t)["random"]
	path := writeParquet(t, filepath.Join(t.TempDir(), "tx.parquet"), len(rows), []column{
		{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rows[i].id }},
		{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rows[i].day }},
		{"amount", arrow.PrimitiveTypes.Float64, func(i int) any { return rows[i].amount }},
	}, 5000, false)
	for _, asOf := range []dataset.Day{dataset.NoDay, midDay(rows)} {
		want, got, wc, gc, acc := summaryBoth(t, path, Options{}, asOf)
		if !reflect.DeepEqual(want, got) {
			diffSummary(t, want, got)
		}
		if !reflect.DeepEqual(wc, gc) {
			t.Fatalf("checks differ:\n%+v\n%+v", wc, gc)
		}
		if acc.Passes != 2 {
			t.Fatalf("%d passes", acc.Passes)
		}
	}
}

// TestAccumulateFallbacks: standard input and --dedupe read the rows and
// accumulate them; the summary is the same.
func TestAccumulateFallbacks(t *testing.T) {
	rows := orderedRows(t)["duplicates"]
	name := writeTxCSV(t, t.TempDir(), "tx.csv", []string{"subscriber_id", "date", "amount"}, rows)
	want, got, _, _, _ := summaryBoth(t, name, Options{Dedupe: true}, dataset.NoDay)
	if !reflect.DeepEqual(want, got) {
		diffSummary(t, want, got)
	}
	content := "customer_id,date,amount\nB,2024-01-06,20.5\nA,2024-01-05,10\nB,2024-01-01,1\n"
	acc, st, err := Accumulate("-", Options{Stdin: strings.NewReader(content)}, dataset.NoDay)
	if err != nil || st.Accepted != 3 {
		t.Fatal(err, st)
	}
	s, err := acc.Summary(dataset.SummaryOptions{AsOf: dataset.NoDay, Unit: dataset.UnitDay})
	if err != nil {
		t.Fatal(err)
	}
	// Direct count from the three rows: B on 2024-01-01 and 01-06 (x = 1,
	// t_x = 5 days, monetary = 20.5), A once.
	if !slices.Equal(s.IDs, []string{"B", "A"}) || s.X[0] != 1 || s.Tx[0] != 5 || s.Monetary[0] != 20.5 || s.Total[0] != 21.5 || s.X[1] != 0 {
		t.Fatalf("summary %+v", s)
	}
}

// naiveRow is a row of the property test.
type naiveRow struct {
	id  string
	day dataset.Day
	amt int64 // cents
}

// FuzzAccumulate checks the streaming summary against the textbook
// definition computed the slow way (group each customer's rows, merge same
// days, sort the days) on random rows in random order. Amounts are whole
// cents so the reference sums are exact; tolerance 1e-9 relative.
func FuzzAccumulate(f *testing.F) {
	f.Add(uint64(1), uint16(200), uint8(10), uint8(40), uint8(0))
	f.Add(uint64(2), uint16(3000), uint8(200), uint8(3), uint8(1))
	f.Add(uint64(3), uint16(50), uint8(1), uint8(200), uint8(2))
	f.Fuzz(func(t *testing.T, seed uint64, nrows uint16, ncust, ndays, order uint8) {
		defer func(old int) { blockSize = old }(blockSize)
		blockSize = 300
		r := rand.New(rand.NewPCG(seed, 17))
		nc, nd := int(ncust)+1, int(ndays)+1
		rows := make([]naiveRow, int(nrows)%4000+1)
		d0 := dataset.Civil(2022, 3, 1)
		for i := range rows {
			rows[i] = naiveRow{fmt.Sprintf("id%d", r.IntN(nc)), d0 + dataset.Day(r.IntN(nd)), int64(r.IntN(100000) - 5000)}
		}
		switch order % 3 {
		case 1:
			sort.SliceStable(rows, func(i, j int) bool { return rows[i].day < rows[j].day })
		case 2:
			sort.SliceStable(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
		}
		var b strings.Builder
		b.WriteString("id,date,amount\n")
		for _, x := range rows {
			sign := ""
			if x.amt < 0 {
				sign = "-"
			}
			fmt.Fprintf(&b, "%s,%s,%s%d.%02d\n", x.id, x.day, sign, abs(x.amt)/100, abs(x.amt)%100)
		}
		name := writeFile(t, "tx.csv", b.String())
		asOf := d0 + dataset.Day(nd*3/4)
		acc, _, err := Accumulate(name, Options{Workers: 2}, asOf)
		if err != nil {
			t.Fatal(err)
		}
		s, err := acc.Summary(dataset.SummaryOptions{AsOf: asOf, Unit: dataset.UnitWeek})
		// The naive definition.
		days := map[string]map[dataset.Day]int64{}
		rowsOf := map[string]int64{}
		var firstSeen []string
		for _, x := range rows {
			if _, ok := rowsOf[x.id]; !ok {
				firstSeen = append(firstSeen, x.id)
				rowsOf[x.id] = 0
			}
			if x.day > asOf {
				continue
			}
			if days[x.id] == nil {
				days[x.id] = map[dataset.Day]int64{}
			}
			days[x.id][x.day] += x.amt
			rowsOf[x.id]++
		}
		var ids []string
		for _, id := range firstSeen {
			if rowsOf[id] > 0 {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			if err == nil {
				t.Fatal("no error for an empty window")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.IDs, ids) {
			t.Fatalf("ids %v, want %v", s.IDs, ids)
		}
		for j, id := range ids {
			ds := make([]dataset.Day, 0, len(days[id]))
			var total int64
			for d, a := range days[id] {
				ds = append(ds, d)
				total += a
			}
			slices.Sort(ds)
			rep := total - days[id][ds[0]]
			x := len(ds) - 1
			mon := 0.0
			if x > 0 {
				mon = float64(rep) / 100 / float64(x)
			}
			first, last := ds[0], ds[len(ds)-1]
			want := []float64{float64(rowsOf[id]), float64(len(ds)), float64(total) / 100, float64(asOf - last), float64(x),
				float64(last-first) / 7, float64(asOf-first) / 7, mon}
			got := []float64{float64(s.Transactions[j]), float64(s.Periods[j]), s.Total[j], float64(s.Recency[j]), float64(s.X[j]), s.Tx[j], s.T[j], s.Monetary[j]}
			for k := range want {
				if math.Abs(got[k]-want[k]) > 1e-9*math.Max(1, math.Abs(want[k])) {
					t.Fatalf("customer %s field %d: got %v, want %v", id, k, got, want)
				}
			}
		}
	})
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// BenchmarkAccumulate reads generated exports of 10^5..10^7 rows (about
// n/14 customers) into per-customer accumulators: date order (one pass),
// customer order, and random order (a second pass over the rows of the
// customers that went back in time). Compare with BenchmarkTransactions,
// which keeps every row.
func BenchmarkAccumulate(b *testing.B) {
	for _, order := range []string{"date", "customer", "random"} {
		for _, n := range []int{1e5, 1e6, 1e7} {
			b.Run(fmt.Sprintf("%s/rows=%d", order, n), func(b *testing.B) {
				name := benchFile(b, n, order)
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := Accumulate(name, Options{}, dataset.NoDay); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// TestAccumulateParquetMixedBatches: batches the batch path takes and
// batches it leaves to the row path (a null amount, rejected) alternate;
// rows still reach the accumulators in file order, and the summary, stats
// and rejects equal the materialising read's.
func TestAccumulateParquetMixedBatches(t *testing.T) {
	defer func(old int64) { batchRows = old }(batchRows)
	batchRows = 300
	rows := orderedRows(t)["random"]
	path := writeParquet(t, filepath.Join(t.TempDir(), "tx.parquet"), len(rows), []column{
		{"subscriber_id", arrow.BinaryTypes.String, func(i int) any { return rows[i].id }},
		{"date", arrow.FixedWidthTypes.Date32, func(i int) any { return rows[i].day }},
		{"amount", arrow.PrimitiveTypes.Float64, func(i int) any {
			if i%1000 == 500 {
				return nil // every third or fourth batch has a null amount
			}
			return rows[i].amount
		}},
	}, 1000, false)
	want, got, wc, gc, _ := summaryBoth(t, path, Options{MaxErrors: 100}, dataset.NoDay)
	if want == nil {
		t.Fatal("read failed")
	}
	if !reflect.DeepEqual(want, got) {
		diffSummary(t, want, got)
	}
	if !reflect.DeepEqual(wc, gc) {
		t.Fatalf("checks differ:\n%+v\n%+v", wc, gc)
	}
}
