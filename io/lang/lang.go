package lang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Catalog is the messages of one language. The zero value is not useful;
// use Parse, English or Chinese. A nil *Catalog is English.
type Catalog struct {
	code string
	msgs map[string]string
}

// Codes are the languages Parse accepts, in the spelling Code returns.
var Codes = []string{"en", "zh"}

// English returns the English catalog.
func English() *Catalog { return &Catalog{code: "en", msgs: en} }

// Chinese returns the Simplified Chinese catalog.
func Chinese() *Catalog { return &Catalog{code: "zh", msgs: zh} }

// Parse returns the catalog of a language code: en, or zh (also zh-CN,
// zh_CN, zh-Hans, cn), case-insensitive.
func Parse(s string) (*Catalog, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en", "en-us", "en-gb", "english", "":
		return English(), nil
	case "zh", "zh-cn", "zh_cn", "zh-hans", "cn", "chinese":
		return Chinese(), nil
	}
	return nil, fmt.Errorf("language %q: want en or zh", s)
}

// Code is "en" or "zh".
func (c *Catalog) Code() string {
	if c == nil {
		return "en"
	}
	return c.code
}

// HTMLLang is the value of the HTML lang attribute: "en" or "zh-CN".
func (c *Catalog) HTMLLang() string {
	if c.Code() == "zh" {
		return "zh-CN"
	}
	return "en"
}

// Chinese reports whether c is the Chinese catalog.
func (c *Catalog) Chinese() bool { return c.Code() == "zh" }

func (c *Catalog) lookup(key string) (string, bool) {
	if c != nil {
		if m, ok := c.msgs[key]; ok {
			return m, true
		}
	}
	m, ok := en[key]
	return m, ok
}

// Has reports whether key is in the catalog (or, for a nil catalog, in
// English).
func (c *Catalog) Has(key string) bool {
	if c == nil {
		_, ok := en[key]
		return ok
	}
	_, ok := c.msgs[key]
	return ok
}

// T formats the message key with args (every message is a fmt template, so
// a literal percent sign is written %%). A key missing from c falls back to
// English; a key missing from English too is returned as "[key]" (the
// catalog test reads every T call of the repository, so this is only a
// guard).
func (c *Catalog) T(key string, args ...any) string {
	m, ok := c.lookup(key)
	if !ok {
		return "[" + key + "]"
	}
	return fmt.Sprintf(m, args...)
}

// Label returns the display name of a code of kind "stage", "tier",
// "quadrant", "action", "actiondesc", "model" or "col" (a column heading):
// the catalog's kind.code message, else the code itself (a tier or action a
// user named keeps its name).
func (c *Catalog) Label(kind, code string) string {
	if m, ok := c.lookup(kind + "." + code); ok {
		return m
	}
	// The default names of more than five tiers: tier1, tier2, ...
	if n, err := strconv.Atoi(strings.TrimPrefix(code, "tier")); kind == "tier" && err == nil && strings.HasPrefix(code, "tier") && c.Chinese() {
		return c.T("tier.numbered", n)
	}
	return code
}

// Action is the display name of an action as the analysis layer writes it:
// a name of the action table, or "NAME if value ≥ MIN, else OTHER" for a
// cell with a minimum value (clv.ActionText).
func (c *Catalog) Action(s string) string {
	if m, ok := c.lookup("action." + s); ok {
		return m
	}
	name, rest, ok := strings.Cut(s, " if value ≥ ")
	if !ok {
		return s
	}
	min, other, ok := strings.Cut(rest, ", else ")
	if !ok {
		return s
	}
	return c.T("action.conditional", c.Label("action", name), min, c.Label("action", other))
}

// Heading is the heading of a table column in the report: the col.NAME
// message, else a stage, tier or quadrant name (the columns of a matrix),
// else the name with underscores as spaces.
func (c *Catalog) Heading(name string) string {
	for _, kind := range []string{"col", "stage", "tier", "quadrant", "ewstate"} {
		if m, ok := c.lookup(kind + "." + name); ok {
			return m
		}
	}
	return strings.ReplaceAll(name, "_", " ")
}

// Unit is the word for one period ("month"; 月) as in "per month".
func (c *Catalog) Unit(period string) string { return c.Label("unit", period) }

// Units is the word for a count of periods ("months"; 个月, 年).
func (c *Catalog) Units(period string) string { return c.Label("units", period) }

// Count formats a whole number for prose (see the package doc).
func (c *Catalog) Count(n int64) string {
	if c.Chinese() {
		if s, ok := chineseMagnitude(float64(n)); ok {
			return s
		}
	}
	return Group(strconv.FormatInt(n, 10))
}

// Money formats an amount for prose: no decimals from 100 on, two below,
// and 万/亿 in Chinese (see the package doc).
func (c *Catalog) Money(v float64) string {
	if c.Chinese() {
		if s, ok := chineseMagnitude(v); ok {
			return s
		}
	}
	if math.Abs(v) >= 100 {
		return Float(v, 0)
	}
	return Float(v, 2)
}

// Number formats v with d decimals for prose; in Chinese a magnitude of at
// least 100,000 is written in 万 or 亿.
func (c *Catalog) Number(v float64, d int) string {
	if c.Chinese() {
		if s, ok := chineseMagnitude(v); ok {
			return s
		}
	}
	return Float(v, d)
}

// chineseMagnitude writes |v| ≥ 10⁵ in 万 (one decimal) or 亿 (two).
func chineseMagnitude(v float64) (string, bool) {
	a := math.Abs(v)
	if a < 1e5 || math.IsInf(v, 0) || math.IsNaN(v) {
		return "", false
	}
	if w := math.Round(a/1e3) / 10; w < 1e4 { // in 万, one decimal
		return Float(math.Copysign(w, v), 1) + "万", true
	}
	return Float(math.Copysign(math.Round(a/1e6)/100, v), 2) + "亿", true
}

// Float formats v with d decimals and thousands separators; "-0.00" becomes
// "0.00".
func Float(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		s = s[1:]
	}
	return Group(s)
}

// Group inserts thousands separators into the integer part of a formatted
// number.
func Group(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) > 3 {
		var b strings.Builder
		lead := len(intPart) % 3
		if lead > 0 {
			b.WriteString(intPart[:lead])
		}
		for i := lead; i < len(intPart); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(intPart[i : i+3])
		}
		intPart = b.String()
	}
	if neg {
		return "-" + intPart + frac
	}
	return intPart + frac
}
