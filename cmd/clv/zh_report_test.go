package main

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// chinesePlans are the Chinese plan names the Chinese export writes for the
// example's English ones.
var chinesePlans = map[string]string{"prepaid": "预付费套餐", "postpaid": "后付费套餐", "family": "家庭套餐", "business": "商务套餐"}

// TestChineseReportFiguresEqual is the done-when test of the Chinese
// report: a GBK export of examples/telecom with Chinese headers, slash dates
// (2024/1/5) and Chinese plan names, run as `clv report DIR --lang zh` with
// no other flag, gives the figures of the English report of the UTF-8
// original. The reports are compared as numbers, not text: per section,
// every number of its tables, key figures and prose is parsed (万 = 10⁴ and
// 亿 = 10⁸ expanded, with the rounding of their last digit as tolerance;
// other numbers exact as printed), and the sorted lists must match. Table
// rows are compared as sorted sets, since rows sorted by a plan name come
// in another order under Chinese names.
func TestChineseReportFiguresEqual(t *testing.T) {
	subs := readExample(t, "subscribers.csv")
	tx := readExample(t, "transactions.csv")
	for _, r := range subs[1:] {
		zh, ok := chinesePlans[r[3]]
		if !ok {
			t.Fatalf("plan %q has no Chinese name", r[3])
		}
		r[3] = zh
	}
	dir := t.TempDir()
	writeChineseExport(t, filepath.Join(dir, "subscribers.csv"), subs, []string{"用户ID", "入网时间", "离网时间", "套餐", "客户类型", "地区"}, 1, 2)
	writeChineseExport(t, filepath.Join(dir, "transactions.csv"), tx, []string{"用户ID", "账期", "金额"}, 1)

	zh := runCLI(t, "", "report", dir, "--lang", "zh", "-q")
	if zh.code != 0 {
		t.Fatalf("Chinese export: exit %d: %s", zh.code, zh.stderr)
	}
	en := runCLI(t, "", "report", "examples/telecom", "-q")
	if en.code != 0 {
		t.Fatalf("English original: exit %d: %s", en.code, en.stderr)
	}
	if strings.Contains(zh.stdout, "%!") {
		t.Fatal("the Chinese report holds a formatting error (%!)")
	}
	for _, s := range []string{"# 客户价值分析报告", "## 5. 留存：生命表与 sBG 模型", "按套餐的分布", "| 商务套餐 |", "| 获取 |", "挽留外呼"} {
		if !strings.Contains(zh.stdout, s) {
			t.Errorf("the Chinese report lacks %q", s)
		}
	}
	es, zs := sections(en.stdout), sections(zh.stdout)
	if len(es) != 12 || len(zs) != len(es) {
		t.Fatalf("%d English and %d Chinese sections, want 12 each", len(es), len(zs))
	}
	compared := 0
	for k := range es {
		et, ep := splitTables(es[k])
		zt, zp := splitTables(zs[k])
		if len(et) != len(zt) {
			t.Errorf("section %d: %d English and %d Chinese tables", k+1, len(et), len(zt))
			continue
		}
		for i := range et {
			if a, b := tableRows(et[i]), tableRows(zt[i]); !slices.Equal(a, b) {
				t.Errorf("section %d table %d differs:\n en %v\n zh %v", k+1, i+1, a, b)
			}
			for _, row := range tableRows(et[i]) {
				compared += len(strings.Fields(row))
			}
		}
		a, b := numbers(ep), numbers(zp)
		if len(a) != len(b) {
			t.Errorf("section %d prose: %d English and %d Chinese numbers\n en %v\n zh %v", k+1, len(a), len(b), values(a), values(b))
			continue
		}
		for i := range a {
			tol := math.Max(a[i].tol, b[i].tol)
			if math.Abs(a[i].v-b[i].v) > tol+1e-9*math.Abs(a[i].v) {
				t.Errorf("section %d prose number %d: English %v, Chinese %v (tolerance %v)\n en %v\n zh %v", k+1, i+1, a[i].v, b[i].v, tol, values(a), values(b))
				break
			}
		}
		compared += len(a)
	}
	if compared < 1000 {
		t.Errorf("only %d numbers and rows compared", compared)
	}
}

// sections splits a Markdown report at its "## " headings (the part before
// the first is dropped: title, subtitle and contents).
func sections(md string) []string {
	parts := strings.Split(md, "\n## ")
	for i, p := range parts[1:] {
		// drop the heading line (the section number is in it)
		if j := strings.IndexByte(p, '\n'); j >= 0 {
			parts[i+1] = p[j+1:]
		}
	}
	if len(parts) > 0 {
		parts = parts[1:]
	}
	if n := len(parts); n > 0 {
		if i := strings.Index(parts[n-1], "\n---\n"); i >= 0 { // the footer
			parts[n-1] = parts[n-1][:i]
		}
	}
	return parts
}

// splitTables separates the data tables (runs of "|" lines whose separator
// row is not the key-figure one "|---|---:|") from the rest (prose, notes,
// key figures).
func splitTables(sec string) (tables [][]string, prose string) {
	var rest []string
	lines := strings.Split(sec, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "|") || i+1 >= len(lines) || strings.HasPrefix(lines[i], "| | |") {
			rest = append(rest, lines[i])
			continue
		}
		var tab []string
		for ; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
			tab = append(tab, lines[i])
		}
		tables = append(tables, tab[2:]) // no heading, no separator
	}
	return tables, strings.Join(rest, "\n")
}

// tableRows are the numeric cells of each row, the rows sorted.
func tableRows(rows []string) []string {
	var out []string
	for _, r := range rows {
		var cells []string
		for _, c := range strings.Split(strings.Trim(r, "|"), "|") {
			c = strings.TrimSpace(c)
			if numRE.MatchString(c) && numRE.FindString(c) == c {
				cells = append(cells, c)
			}
		}
		out = append(out, strings.Join(cells, " "))
	}
	slices.Sort(out)
	return out
}

type number struct{ v, tol float64 }

// numRE matches a number as the report writes it: sign, thousands
// separators, decimals, and 万/亿 or %.
var numRE = regexp.MustCompile(`[-+]?\d[\d,]*(\.\d+)?(万|亿|%)?`)

// numbers parses every number of the text, sorted by value; 万 and 亿 are
// expanded, with half a unit of their last digit as tolerance.
func numbers(s string) []number {
	var out []number
	for _, loc := range numRE.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		// A minus after a letter or digit is a hyphen (type-7, 2024-12).
		if loc[0] > 0 && (m[0] == '-' || m[0] == '+') {
			if c := s[loc[0]-1]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				m = m[1:]
			}
		}
		unit, tol := 1.0, 0.0
		switch {
		case strings.HasSuffix(m, "万"):
			unit, tol, m = 1e4, 0.05e4, strings.TrimSuffix(m, "万")
		case strings.HasSuffix(m, "亿"):
			unit, tol, m = 1e8, 0.005e8, strings.TrimSuffix(m, "亿")
		case strings.HasSuffix(m, "%"):
			m = strings.TrimSuffix(m, "%")
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64)
		if err != nil {
			continue
		}
		// An English number that the Chinese report writes in 万 is
		// compared at the same tolerance (see the comparison).
		out = append(out, number{v * unit, tol})
	}
	slices.SortFunc(out, func(a, b number) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	return out
}

func values(ns []number) string {
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&b, "%g ", n.v)
	}
	return b.String()
}
