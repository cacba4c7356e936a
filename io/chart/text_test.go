package chart

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// TestMeasuredChineseWidth: after padding, gonum/plot measures Chinese text
// as wide as a viewer draws it (1 em per character: CJK fonts are
// monospaced in Han characters), within 5%; English text is not touched.
func TestMeasuredChineseWidth(t *testing.T) {
	sty := plot.New().Legend.TextStyle
	size := float64(sty.Font.Size)
	for _, s := range []string{"期末用户数", "新增用户", "离网"} {
		r := sty.Rectangle(measured(s))
		got := float64(r.Max.X - r.Min.X)
		want := size * float64(len([]rune(s)))
		if math.Abs(got-want) > 0.05*want {
			t.Errorf("%q measures %.1f, want %.1f (1 em per character)", s, got, want)
		}
		raw := sty.Rectangle(s)
		if float64(raw.Max.X-raw.Min.X) > 0.9*want {
			t.Errorf("%q unpadded measures %.1f: the padding is no longer needed", s, float64(raw.Max.X-raw.Min.X))
		}
	}
	if measured("closing base") != "closing base" {
		t.Error("English text changed")
	}
}

// TestChineseLegendSVG: a chart with Chinese series names spaces its legend
// rows for Chinese glyphs and keeps the names (padding spaces only at the
// end, which SVG viewers drop).
func TestChineseLegendSVG(t *testing.T) {
	c := &LineChart{Title: "每月新增与离网用户", XLabel: "月份", YLabel: "用户数", LegendLeft: true,
		Series: []Series{{Name: "新增用户", X: []float64{1, 2}, Y: []float64{3, 4}}, {Name: "离网用户", X: []float64{1, 2}, Y: []float64{1, 2}}}}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{">新增用户    </text>", ">离网用户    </text>", ">每月新增与离网用户         </text>"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}
