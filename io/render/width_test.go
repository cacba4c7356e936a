package render

import (
	"bytes"
	"strings"
	"testing"
)

// TestDisplayWidth: widths counted by hand (a Han character or full-width
// form takes two terminal columns, an ASCII letter one, a combining accent
// none).
func TestDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"plan", 4},
		{"套餐", 4},
		{"5G畅享", 6},
		{"客户价值报告（2024）", 20},
		{"e\u0301", 1},
		{"", 0},
	} {
		if got := displayWidth(c.s); got != c.want {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// TestChineseTableAlignment: in a terminal table with Chinese values every
// line is equally wide on screen, and a Chinese title is underlined to its
// screen width.
func TestChineseTableAlignment(t *testing.T) {
	var b bytes.Buffer
	r := &Result{Title: "细分结果", Tables: []*Table{{Name: "plans", Title: "按套餐", Columns: []Column{
		Strings("plan", []string{"5G畅享", "prepaid", "畅享套餐A"}), Ints("subscribers", []int64{1, 22, 333}),
	}}}}
	if err := WriteResult(&b, FormatTable, r, ""); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if lines[0] != "细分结果" || lines[1] != "========" {
		t.Fatalf("title lines %q %q", lines[0], lines[1])
	}
	if lines[3] != "按套餐 [plans]" || lines[4] != strings.Repeat("-", 14) {
		t.Fatalf("table title lines %q %q", lines[3], lines[4])
	}
	w := displayWidth(lines[5])
	for _, l := range lines[5:] {
		if displayWidth(l) != w {
			t.Fatalf("table line %q is %d columns wide, the first %d:\n%s", l, displayWidth(l), w, b.String())
		}
	}
}
