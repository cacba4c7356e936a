package main

import (
	"encoding/csv"
	"strings"
	"testing"
)

// TestSegmentLangZh: --lang zh translates the labels of table and Markdown
// output (stage, tier, action names; headings), row for row the codes of
// the CSV output, and leaves CSV and JSON byte-identical.
func TestSegmentLangZh(t *testing.T) {
	args := append([]string{"segment", "-q"}, segFixture...)
	enCSV := runCLI(t, "", append(args, "--format", "csv")...)
	zhCSV := runCLI(t, "", append(args, "--format", "csv", "--lang", "zh")...)
	if enCSV.code != 0 || zhCSV.code != 0 {
		t.Fatalf("exit %d / %d: %s %s", enCSV.code, zhCSV.code, enCSV.stderr, zhCSV.stderr)
	}
	if enCSV.stdout != zhCSV.stdout {
		t.Error("--lang zh changed the CSV output")
	}
	for _, f := range []string{"json"} {
		a := runCLI(t, "", append(args, "--summary", "--format", f)...)
		b := runCLI(t, "", append(args, "--summary", "--format", f, "--lang", "zh")...)
		if a.stdout != b.stdout {
			t.Errorf("--lang zh changed the %s output", f)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(enCSV.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	md := runCLI(t, "", append(args, "--format", "markdown", "--lang", "zh")...)
	if md.code != 0 {
		t.Fatalf("markdown: exit %d: %s", md.code, md.stderr)
	}
	// The table's lines (the result title and metadata come first since issue 10).
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(md.stdout), "\n") {
		if strings.HasPrefix(l, "|") {
			lines = append(lines, l)
		}
	}
	if len(lines) != len(rows)+1 {
		t.Fatalf("%d Markdown lines for %d CSV rows", len(lines), len(rows))
	}
	head := cells(lines[0])
	if head[0] != "用户ID" || head[1] != "阶段" || head[2] != "价值等级" {
		t.Fatalf("headings %v", head[:3])
	}
	stages := map[string]string{"acquisition": "获取", "growth": "提升", "maturity": "成熟", "decline": "衰退", "churned": "离网"}
	tiers := map[string]string{"platinum": "白金", "gold": "黄金", "silver": "白银", "bronze": "青铜"}
	for i, r := range rows[1:] {
		c := cells(lines[i+2])
		if c[0] != r[0] || c[1] != stages[r[1]] || c[2] != tiers[r[2]] {
			t.Fatalf("row %d: Markdown %v, CSV %v", i+1, c[:3], r[:3])
		}
	}
	sum := runCLI(t, "", append(args, "--summary", "--format", "markdown", "--lang", "zh")...)
	for _, want := range []string{"## 阶段 × 价值等级", "| 离网 |", "赢回优惠", "## 收入集中度", "| 基尼系数 |"} {
		if !strings.Contains(sum.stdout, want) {
			t.Errorf("--summary --lang zh lacks %q", want)
		}
	}
	if bad := runCLI(t, "", append(args, "--lang", "fr")...); bad.code != 2 || !strings.Contains(bad.stderr, "--lang") {
		t.Errorf("--lang fr: exit %d, %s", bad.code, bad.stderr)
	}
}

// cells splits a Markdown table row.
func cells(line string) []string {
	parts := strings.Split(strings.Trim(line, "|"), "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// TestReportLangZhHTML: the Chinese HTML report says lang="zh-CN", carries
// a Chinese font stack, has no formatting error and no English section
// title; the English one stays lang="en" without the Chinese stack.
func TestReportLangZhHTML(t *testing.T) {
	zh := runCLI(t, "", append([]string{"report", "--format", "html", "-q", "--lang", "zh"}, segFixture...)...)
	en := runCLI(t, "", append([]string{"report", "--format", "html", "-q"}, segFixture...)...)
	if zh.code != 0 || en.code != 0 {
		t.Fatalf("exit %d / %d: %s %s", zh.code, en.code, zh.stderr, en.stderr)
	}
	for _, want := range []string{`<html lang="zh-CN">`, `"Noto Sans CJK SC"`, "<title>客户价值分析报告</title>", "由 clv report 生成"} {
		if !strings.Contains(zh.stdout, want) {
			t.Errorf("Chinese HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"%!", "Data quality", "Early warning", "Method and settings", "[title."} {
		if strings.Contains(zh.stdout, bad) {
			t.Errorf("Chinese HTML holds %q", bad)
		}
	}
	if again := runCLI(t, "", append([]string{"report", "--format", "html", "-q", "--lang", "zh"}, segFixture...)...); again.stdout != zh.stdout {
		t.Error("the Chinese report differs between two runs")
	}
	if !strings.Contains(en.stdout, `<html lang="en">`) || strings.Contains(en.stdout, "Noto Sans CJK") {
		t.Error("English HTML changed language or fonts")
	}
	if bad := runCLI(t, "", append([]string{"report", "-q", "--lang", "fr"}, segFixture...)...); bad.code != 2 {
		t.Errorf("--lang fr: exit %d", bad.code)
	}
}

// TestMarkovLangZh: clv markov --states lifecycle --lang zh names the stages
// in Chinese in Markdown, and its CSV is that of the English run.
func TestMarkovLangZh(t *testing.T) {
	args := append([]string{"markov", "-q", "--states", "lifecycle"}, segFixture...)
	md := runCLI(t, "", append(args, "--format", "markdown", "--lang", "zh")...)
	if md.code != 0 {
		t.Fatalf("exit %d: %s", md.code, md.stderr)
	}
	// The transitions are one row per from, to (the matrix is long since the output contract, issue 10).
	for _, want := range []string{"## 迁移概率（每行一对从、到） [transitions]", "| 从 | 到 | 概率 | 次数 | 转出次数 |", "| 成熟 | 衰退 |", "| 成熟 |"} {
		if !strings.Contains(md.stdout, want) {
			t.Errorf("markov --lang zh lacks %q", want)
		}
	}
	a := runCLI(t, "", append(args, "--format", "csv")...)
	b := runCLI(t, "", append(args, "--format", "csv", "--lang", "zh")...)
	if a.code != 0 || a.stdout != b.stdout {
		t.Errorf("--lang zh changed the CSV (exit %d)", a.code)
	}
}

// TestReportLangZhCampaign: the optional sections (what changed since a
// previous run, group customers) are Chinese too, with their figures those
// of the English report (same counts in the movement tables).
func TestReportLangZhCampaign(t *testing.T) {
	prev := t.TempDir() + "/prev.csv"
	if r := runCLI(t, "", append([]string{"segment", "-q", "--as-of", "2024-09-30", "--format", "csv", "-o", prev}, segFixture...)...); r.code != 0 {
		t.Fatalf("segment: exit %d: %s", r.code, r.stderr)
	}
	args := append([]string{"report", "-q", "--previous", prev, "--group-col", "region"}, segFixture...)
	zh := runCLI(t, "", append(args, "--lang", "zh")...)
	en := runCLI(t, "", args...)
	if zh.code != 0 || en.code != 0 {
		t.Fatalf("exit %d / %d: %s %s", zh.code, en.code, zh.stderr, en.stderr)
	}
	for _, want := range []string{"以来的变化", "## 12. 集团客户", "| 上次 \\ 本次 | 获取 |", "| 在预警名单 |"} {
		if !strings.Contains(zh.stdout, want) {
			t.Errorf("Chinese report lacks %q", want)
		}
	}
	for _, bad := range []string{"%!", "What changed", "Group customers", "before \\ now", "| listed |"} {
		if strings.Contains(zh.stdout, bad) {
			t.Errorf("Chinese report holds %q", bad)
		}
	}
	// The stage movement table: same numbers row for row.
	pick := func(md, head string) []string {
		i := strings.Index(md, head)
		if i < 0 {
			t.Fatalf("no %q", head)
		}
		var rows []string
		for _, l := range strings.Split(md[i:], "\n")[2:] {
			if !strings.HasPrefix(l, "|") {
				break
			}
			rows = append(rows, strings.Join(cells(l)[1:], "|"))
		}
		return rows
	}
	e, z := pick(en.stdout, "| before \\ now | acquisition |"), pick(zh.stdout, "| 上次 \\ 本次 | 获取 |")
	if strings.Join(e, "\n") != strings.Join(z, "\n") || len(e) < 5 {
		t.Errorf("stage movement differs:\n en %v\n zh %v", e, z)
	}
}
