package report

import (
	"github.com/clvkit/clv/io/chart"

	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/clvkit/clv/io/render"
)

func sample(t *testing.T) *Report {
	t.Helper()
	lc := &chart.LineChart{Title: "Lorenz", XPercent: true, YPercent: true, Series: []chart.Series{
		{Name: "revenue", X: []float64{0, 0.5, 1}, Y: []float64{0, 0.2, 1}, Points: true},
		{Name: "equality", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true},
	}}
	svg, err := lc.SVG()
	if err != nil {
		t.Fatal(err)
	}
	bc := &chart.BarChart{Title: "Stages", Labels: []string{"a", "b"}, Groups: []chart.Series{{Name: "n", Y: []float64{3, 4}}}}
	bars, err := bc.SVG()
	if err != nil {
		t.Fatal(err)
	}
	return &Report{
		Title: "Test <report>", Subtitle: "as of **2024-12-31**",
		Sections: []Section{
			{Title: "Data quality", Blocks: []Block{
				{Figures: []Figure{{Label: "rows", Value: "1,234", Detail: "0 rejected"}}},
				{Text: "First paragraph with `code`\n\n- item one\n- item **two**"},
				{Table: &render.Table{Title: "t", Columns: []render.Column{
					render.Strings("name", []string{"a|b", "c"}),
					render.Floats("revenue_share", []float64{0.25, 0.75}),
					render.Floats("revenue", []float64{1234567.891, -0.001}),
					render.Ints("subscribers", []int64{12345, 6}),
				}}},
			}},
			{Title: "Value & tiers", Blocks: []Block{{Chart: &Chart{Caption: "Lorenz curve", Alt: "curve", SVG: svg}}, {Chart: &Chart{Caption: "bars", SVG: bars}}, {Note: "a note"}}},
		},
		Footer: "made by a test",
	}
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, sample(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# Test <report>", "1. [Data quality](#data-quality)", "2. [Value & tiers](#value-tiers)",
		"| name | revenue share | revenue | subscribers |", "|---|---:|---:|---:|",
		`| a\|b | 25.0% | 1,234,567.89 | 12,345 |`, "| c | 75.0% | 0.00 | 6 |",
		"*Chart (in the HTML report): Lorenz curve.*", "> a note", "| rows | **1,234** (0 rejected) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q\n%s", want, out)
		}
	}
}

func TestHTML(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, sample(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"<title>Test &lt;report&gt;</title>", "<strong>2024-12-31</strong>", "<li>item <strong>two</strong></li>", "with <code>code</code>",
		`<td class="n">1,234,567.89</td>`, "<svg", "<figcaption>Lorenz curve</figcaption>", `<section id="value-tiers">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// Self-contained: no external resources, no scripts.
	for _, bad := range []string{"<script", "http://", "https://", "<?xml", "src=\""} {
		if strings.Contains(out, bad) && !(bad == "http://" && onlySVGNamespace(out)) {
			t.Errorf("html contains %q", bad)
		}
	}
	var again bytes.Buffer
	if err := WriteHTML(&again, sample(t)); err != nil {
		t.Fatal(err)
	}
	if again.String() != out {
		t.Error("HTML is not byte-identical on rerun")
	}
}

// onlySVGNamespace reports whether every http:// in s is an XML namespace
// URI (which browsers never fetch).
func onlySVGNamespace(s string) bool {
	for _, part := range strings.Split(s, "http://")[1:] {
		if !strings.HasPrefix(part, "www.w3.org/") {
			return false
		}
	}
	return true
}

func TestFormat(t *testing.T) {
	cases := []struct{ got, want string }{
		{FormatFloat(1234567.891, 2), "1,234,567.89"},
		{FormatFloat(-1234.5, 1), "-1,234.5"},
		{FormatFloat(-0.0001, 2), "0.00"},
		{FormatFloat(999, 0), "999"},
		{FormatInt(-1000), "-1,000"},
		{FormatInt(100000), "100,000"},
		{FormatPercent(0.12345), "12.3%"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q want %q", c.got, c.want)
		}
	}
}

func TestChartErrors(t *testing.T) {
	if _, err := (&chart.LineChart{}).SVG(); err == nil {
		t.Error("empty chart accepted")
	}
	bad := &chart.LineChart{Series: []chart.Series{{X: []float64{0, 1}, Y: []float64{0}}}}
	if _, err := bad.SVG(); err == nil {
		t.Error("ragged series accepted")
	}
	nan := &chart.LineChart{Series: []chart.Series{{X: []float64{0, 1}, Y: []float64{0, math.NaN()}}}}
	if _, err := nan.SVG(); err == nil {
		t.Error("NaN accepted")
	}
}

// BenchmarkWriteHTML renders a report with one table of n rows and two charts.
func BenchmarkWriteHTML(b *testing.B) {
	for _, n := range []int{100, 10_000, 100_000} {
		ids := make([]string, n)
		vals := make([]float64, n)
		for i := range ids {
			ids[i] = "S" + strings.Repeat("0", 6)
			vals[i] = float64(i) * 1.5
		}
		lc := &chart.LineChart{Series: []chart.Series{{X: []float64{0, 1, 2}, Y: []float64{0, 1, 4}}}}
		svg, err := lc.SVG()
		if err != nil {
			b.Fatal(err)
		}
		r := &Report{Title: "bench", Sections: []Section{{Title: "s", Blocks: []Block{
			{Table: &render.Table{Columns: []render.Column{render.Strings("id", ids), render.Floats("value", vals), render.Floats("value_share", vals)}}},
			{Chart: &Chart{SVG: svg}}, {Chart: &Chart{SVG: svg}},
		}}}}
		b.Run(itoa(n), func(b *testing.B) {
			for b.Loop() {
				if err := WriteHTML(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
