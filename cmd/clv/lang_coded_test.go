package main

import (
	"testing"

	"github.com/clvkit/clv/io/lang"
	"github.com/clvkit/clv/io/render"
)

// TestLocalizeCodedColumn: a stage column stored as codes into levels is
// translated like the same column stored as strings, row for row, and the
// input table is left as it was.
func TestLocalizeCodedColumn(t *testing.T) {
	zh := lang.Chinese()
	stages := []string{"growth", "churned", "growth", "maturity"}
	plain := &render.Table{Columns: []render.Column{render.Strings("stage", stages)}}
	coded := &render.Table{Columns: []render.Column{render.Codes("stage", []string{"growth", "churned", "maturity"}, []uint16{0, 1, 0, 2})}}
	p, c := localizeTable(plain, zh).Columns[0], localizeTable(coded, zh).Columns[0]
	for r := range stages {
		if p.String(r) != c.String(r) || p.String(r) == stages[r] {
			t.Fatalf("row %d: plain %q, coded %q (code %q)", r, p.String(r), c.String(r), stages[r])
		}
	}
	if coded.Columns[0].String(0) != "growth" {
		t.Fatalf("input table changed: %q", coded.Columns[0].String(0))
	}
}
