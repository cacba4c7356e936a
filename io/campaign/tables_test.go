package campaign

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

// testLists is a list of n customers with an attribute whose values need
// CSV quoting.
func testLists(n int) (*clv.Lists, *segment.List) {
	r := &segment.Result{Tiers: []string{"gold"}, Annuity: 12}
	rows := make([]int, n)
	for i := 0; i < n; i++ {
		r.IDs = append(r.IDs, fmt.Sprintf("S%04d", i))
		r.Stage = append(r.Stage, segment.Stage(i%segment.NumStages))
		r.Tier = append(r.Tier, 0)
		r.CLV = append(r.CLV, float64(n-i))
		r.Risk = append(r.Risk, 0.5)
		r.ValueAtRisk = append(r.ValueAtRisk, float64(n-i)/2)
		r.Action = append(r.Action, "call")
		r.TenurePeriods = append(r.TenurePeriods, int32(i%20))
		r.SincePurchase = append(r.SincePurchase, int32(i%5-1))
		r.Trend = append(r.Trend, 0.01*float64(i%9-4))
		r.Current = append(r.Current, 10)
		r.Quadrant = append(r.Quadrant, segment.Stars)
		rows[i] = i
	}
	plan := make([]string, n)
	for i := range plan {
		plan[i] = []string{"a, b", "套餐\"x\"", ""}[i%3]
	}
	s := &clv.Segments{Result: r, Attrs: map[string][]string{"plan": plan}, AttrNames: []string{"plan"}, Options: segment.DefaultOptions()}
	list := segment.List{File: "action_call.csv", Action: "call", Rows: rows}
	return &clv.Lists{Lists: &segment.Lists{Lists: []segment.List{list}}, Segments: s}, &list
}

// TestWriteListChunks: the list written in chunks is the table written at once.
func TestWriteListChunks(t *testing.T) {
	l, list := testLists(23)
	headers := AttributeHeaders(l.Segments, map[string]string{"plan": "套餐"})
	var whole bytes.Buffer
	if err := render.WriteTable(&whole, render.FormatCSV, ListTable(l, list, headers)); err != nil {
		t.Fatal(err)
	}
	defer func(k int) { chunkRows = k }(chunkRows)
	for _, k := range []int{1, 5, 23, 100} {
		chunkRows = k
		var b bytes.Buffer
		if err := writeList(&b, l, list, headers); err != nil {
			t.Fatal(err)
		}
		if b.String() != whole.String() {
			t.Errorf("chunks of %d differ from the whole table:\n%s\nvs\n%s", k, b.String(), whole.String())
		}
	}
	if !strings.HasPrefix(whole.String(), "customer_id,套餐,stage,") {
		t.Errorf("header %q", strings.SplitN(whole.String(), "\n", 2)[0])
	}
	empty := &segment.List{File: "x.csv"}
	var b bytes.Buffer
	if err := writeList(&b, l, empty, headers); err != nil || strings.Count(b.String(), "\n") != 1 {
		t.Errorf("an empty list: %q, %v; want the header only", b.String(), err)
	}
}
