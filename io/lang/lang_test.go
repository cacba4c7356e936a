package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// labelKinds are the prefixes of display names looked up with Label or
// Heading; English shows the code itself, so English may leave them out.
var labelKinds = []string{"stage.", "tier.", "quadrant.", "action.", "actiondesc.", "model.", "rfmseg.", "attr.", "col.", "scheme.", "ewstate."}

func isLabel(key string) bool {
	for _, k := range labelKinds {
		if strings.HasPrefix(key, k) {
			return true
		}
	}
	return false
}

// TestKeysInBothLanguages: every English message has a Chinese one, and
// every Chinese message an English one (display names excepted: English
// shows the code).
func TestKeysInBothLanguages(t *testing.T) {
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("key %q is in en.go but not in zh.go", k)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok && !isLabel(k) {
			t.Errorf("key %q is in zh.go but not in en.go", k)
		}
	}
}

// sameInBoth are Chinese messages that are rightly without a Han character:
// model names, abbreviations and pure formats.
var sameInBoth = map[string]bool{
	"valuekind.bgnbd": true, "model.bgnbd": true, "kpi.line.part": true, "ret.fig.del.value": true,
	"col.alpha": true, "col.beta": true, "col.auc": true, "col.arpu": true, "col.arppu": true, "col.brier": true,
	"rep.error.counter": true, "risk.note": true, "kpi.join": true, "list.sep": true, "kpi.line.detail": true,
	"segdoc.clv": true, "vip.threshold": true, "matrix.describe": true, "desc.sbg.fit": true,
}

// TestChineseIsChinese: no Chinese message is left in English by accident:
// each holds a Han character, unless it is a model name, an abbreviation or
// a pure format listed in sameInBoth.
func TestChineseIsChinese(t *testing.T) {
	for k, m := range zh {
		han := false
		for _, r := range m {
			if unicode.Is(unicode.Han, r) {
				han = true
				break
			}
		}
		if !han && !sameInBoth[k] {
			t.Errorf("zh %q = %q has no Chinese character", k, m)
		}
		if han && sameInBoth[k] {
			t.Errorf("zh %q is listed as language-neutral but is Chinese; remove it from sameInBoth", k)
		}
	}
}

var verbRE = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?[0-9]*(\.[0-9]*)?(\[\d+\])?[a-zA-Z%]`)

// verbs returns the argument index (1-based) and verb letter of every verb
// of a fmt template, following fmt's rules for implicit and explicit
// indexes.
func verbs(t *testing.T, key, m string) map[int]byte {
	out := map[int]byte{}
	next := 1
	for _, v := range verbRE.FindAllString(m, -1) {
		letter := v[len(v)-1]
		if letter == '%' {
			continue
		}
		idx := next
		if i := strings.LastIndex(v, "["); i >= 0 {
			n, err := strconv.Atoi(v[i+1 : strings.Index(v[i:], "]")+i])
			if err != nil {
				t.Fatalf("%s: verb %q", key, v)
			}
			idx = n
		}
		if prev, ok := out[idx]; ok && prev != letter {
			t.Errorf("%s: argument %d used as %%%c and %%%c in %q", key, idx, prev, letter, m)
		}
		out[idx] = letter
		next = idx + 1
	}
	return out
}

// TestTemplatesTakeTheSameArguments formats every message of both languages
// with arguments of the types the verbs ask for (an argument's type from
// either language: a verb that disagrees is an error) and checks that fmt
// reports no missing, extra or mistyped argument.
func TestTemplatesTakeTheSameArguments(t *testing.T) {
	for k, e := range en {
		z, ok := zh[k]
		if !ok || isLabel(k) || strings.HasPrefix(k, "unit") || strings.HasPrefix(k, "finding.") {
			continue
		}
		ve, vz := verbs(t, k, e), verbs(t, k, z)
		n := 0
		types := map[int]byte{}
		for _, vs := range []map[int]byte{ve, vz} {
			for i, c := range vs {
				if i > n {
					n = i
				}
				kind := byte('s')
				switch c {
				case 'd':
					kind = 'd'
				case 'f', 'g', 'e':
					kind = 'f'
				}
				if prev, ok := types[i]; ok && prev != kind {
					t.Errorf("%s: argument %d is %c in one language and %c in the other", k, i, prev, kind)
				}
				types[i] = kind
			}
		}
		args := make([]any, n)
		for i := range args {
			switch types[i+1] {
			case 'd':
				args[i] = 7
			case 'f':
				args[i] = 0.25
			case 's':
				args[i] = "x"
			default:
				t.Errorf("%s: argument %d is used by neither language", k, i+1)
			}
		}
		for lang, c := range map[string]*Catalog{"en": English(), "zh": Chinese()} {
			if got := c.T(k, args...); strings.Contains(got, "%!") {
				t.Errorf("%s %s: %q", lang, k, got)
			}
		}
	}
}

// TestEveryKeyUsedExists reads the Go files that take text from the
// catalog and checks every literal key of a T, Label or Has call (and the
// title.* section keys) against both languages.
func TestEveryKeyUsedExists(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	for _, dir := range []string{"io/report", "io/chart", "cmd/clv"} {
		m, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d files", len(files))
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok || len(x.Args) == 0 || (sel.Sel.Name != "T") {
					return true
				}
				lit, ok := x.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				key, _ := strconv.Unquote(lit.Value)
				seen++
				for name, m := range map[string]map[string]string{"en": en, "zh": zh} {
					if _, ok := m[key]; !ok {
						t.Errorf("%s: key %q is not in %s", filepath.Base(f), key, name)
					}
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING && strings.HasPrefix(s, "title.") && s != "title." {
					if _, ok := zh[s]; !ok {
						t.Errorf("%s: section key %q is not in zh", filepath.Base(f), s)
					}
				}
			}
			return true
		})
	}
	if seen < 200 {
		t.Errorf("found only %d T calls with a literal key", seen)
	}
	// Keys built at run time.
	for _, st := range []string{"acquisition", "growth", "maturity", "decline", "churned"} {
		keys := []string{"stage." + st}
		if st != "churned" { // the summary's "protect the core" skips the churned
			keys = append(keys, "adjective."+st)
		}
		for _, k := range keys {
			if _, ok := zh[k]; !ok {
				t.Errorf("zh lacks %q", k)
			}
		}
	}
	for _, p := range []string{"day", "week", "month", "quarter", "year"} {
		for _, k := range []string{"unit." + p, "units." + p} {
			if en[k] == "" || zh[k] == "" {
				t.Errorf("%q missing", k)
			}
		}
	}
}

// TestProseNumbers: the 万/亿 rule, with values worked by hand
// (17,623,000 = 1,762.3 × 10⁴; 312,000,000 = 3.12 × 10⁸).
func TestProseNumbers(t *testing.T) {
	zhc, enc := Chinese(), English()
	for _, c := range []struct {
		v      float64
		zh, en string
	}{
		{17623000, "1,762.3万", "17,623,000"},
		{312000000, "3.12亿", "312,000,000"},
		{99999, "99,999", "99,999"},
		{100000, "10.0万", "100,000"},
		{99999999, "1.00亿", "99,999,999"},
		{99994999, "9,999.5万", "99,994,999"},
		{-250000, "-25.0万", "-250,000"},
		{58.5, "58.50", "58.50"},
		{1234.4, "1,234", "1,234"},
	} {
		if got := zhc.Money(c.v); got != c.zh {
			t.Errorf("zh Money(%v) = %q, want %q", c.v, got, c.zh)
		}
		if got := enc.Money(c.v); got != c.en {
			t.Errorf("en Money(%v) = %q, want %q", c.v, got, c.en)
		}
	}
	if got := zhc.Count(1663); got != "1,663" {
		t.Errorf("zh Count(1663) = %q", got)
	}
	if got := zhc.Count(7500000); got != "750.0万" {
		t.Errorf("zh Count(7,500,000) = %q", got)
	}
	var nilCat *Catalog
	if nilCat.Code() != "en" || nilCat.T("report.title") != "Customer value report" || nilCat.HTMLLang() != "en" {
		t.Error("a nil catalog is not English")
	}
	if zhc.HTMLLang() != "zh-CN" {
		t.Error("zh HTML lang")
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"zh", "ZH", "zh-CN", "zh_cn", "cn"} {
		if c, err := Parse(s); err != nil || !c.Chinese() {
			t.Errorf("Parse(%q) = %v, %v", s, c.Code(), err)
		}
	}
	if c, err := Parse("en"); err != nil || c.Chinese() {
		t.Errorf("Parse(en): %v", err)
	}
	if _, err := Parse("fr"); err == nil {
		t.Error("Parse(fr) accepted")
	}
}

func TestTierNames(t *testing.T) {
	zhc := Chinese()
	for code, want := range map[string]string{"gold": "黄金", "tier7": "第7档", "tierx": "tierx", "VIP": "VIP"} {
		if got := zhc.Label("tier", code); got != want {
			t.Errorf("tier %q: %q, want %q", code, got, want)
		}
	}
	if got := English().Label("tier", "tier7"); got != "tier7" {
		t.Errorf("English tier7: %q", got)
	}
}

func TestActionText(t *testing.T) {
	zhc := Chinese()
	if got, want := zhc.Action("win-back offer if value ≥ 200, else let go"), "赢回优惠（价值 ≥ 200 时），否则放弃挽回"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := zhc.Action("retention call"); got != "挽留外呼" {
		t.Errorf("got %q", got)
	}
	if got := zhc.Action("call the CEO"); got != "call the CEO" {
		t.Errorf("an action of one's own table changed: %q", got)
	}
	if got := English().Action("win-back offer if value ≥ 200, else let go"); got != "win-back offer if value ≥ 200, else let go" {
		t.Errorf("English changed: %q", got)
	}
}
