package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Series is one line of a LineChart.
type Series struct {
	Name string
	X, Y []float64
	// Dashed draws a dashed reference line without point markers.
	Dashed bool
	// Points draws a marker at every point.
	Points bool
}

// LineChart is a chart of one or more lines over a common x axis.
type LineChart struct {
	Title          string
	XLabel, YLabel string
	Series         []Series
	// YMin and YMax fix the y range when YMax > YMin.
	YMin, YMax float64
	// XMin and XMax fix the x range when XMax > XMin.
	XMin, XMax float64
	// YPercent labels the y axis as percentages (values are shares).
	YPercent bool
	// XPercent labels the x axis as percentages (values are shares).
	XPercent bool
	// XMonths labels the x axis as calendar months: x is a decimal year
	// (2024.5 = July 2024) and ticks read 2024-07.
	XMonths bool
	// LegendLeft and LegendBottom move the legend from the top right corner
	// to where the lines leave room.
	LegendLeft, LegendBottom bool
	// Width and Height in points (default 640 × 320).
	Width, Height float64
}

// palette holds colour-blind-safe line colours (Okabe–Ito).
var palette = []color.RGBA{
	{0, 114, 178, 255},   // blue
	{213, 94, 0, 255},    // vermillion
	{0, 158, 115, 255},   // bluish green
	{204, 121, 167, 255}, // reddish purple
	{230, 159, 0, 255},   // orange
	{86, 180, 233, 255},  // sky blue
}

var grey = color.RGBA{120, 120, 120, 255}

// monthTicks puts ticks on whole months of a decimal-year axis, labelled
// 2006-01, at most about eight labelled ones.
type monthTicks struct{}

func (monthTicks) Ticks(min, max float64) []plot.Tick {
	first, last := int(math.Ceil(min*12-1e-9)), int(math.Floor(max*12+1e-9))
	n := last - first + 1
	if n <= 0 {
		return nil
	}
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60} {
		step = s
		if n/s <= 8 {
			break
		}
	}
	var ticks []plot.Tick
	for m := first; m <= last; m++ {
		t := plot.Tick{Value: float64(m) / 12}
		if m%step == 0 {
			y, mo := m/12, m%12+1
			if m < 0 {
				y, mo = (m-11)/12, (m%12+12)%12+1
			}
			t.Label = fmt.Sprintf("%d-%02d", y, mo)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// percentTicks labels a default tick set as percentages.
type percentTicks struct{}

func (percentTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = fmt.Sprintf("%.0f%%", 100*ts[i].Value)
		}
	}
	return ts
}

// SVG draws the chart as SVG (fonts not embedded: the viewer's sans-serif is
// used). The output depends only on the chart's fields.
func (c *LineChart) SVG() ([]byte, error) {
	if len(c.Series) == 0 {
		return nil, errors.New("chart: no series")
	}
	p := plot.New()
	p.Title.Text = c.Title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Legend.Top = !c.LegendBottom
	p.Legend.Left = c.LegendLeft
	p.Add(plotter.NewGrid())
	colour := 0
	for _, s := range c.Series {
		if len(s.X) != len(s.Y) || len(s.X) == 0 {
			return nil, fmt.Errorf("chart: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
		}
		xys := make(plotter.XYs, len(s.X))
		for i := range s.X {
			if math.IsNaN(s.X[i]) || math.IsInf(s.X[i], 0) || math.IsNaN(s.Y[i]) || math.IsInf(s.Y[i], 0) {
				return nil, fmt.Errorf("chart: series %q point %d is not finite", s.Name, i+1)
			}
			xys[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		l.Width = vg.Points(2)
		if s.Dashed {
			l.Color = grey
			l.Width = vg.Points(1)
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		} else {
			l.Color = palette[colour%len(palette)]
			colour++
		}
		p.Add(l)
		if s.Name != "" {
			addLegend(p, s.Name, l)
		}
		if s.Points && !s.Dashed {
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("chart: %w", err)
			}
			sc.Color = l.Color
			sc.Shape = draw.CircleGlyph{}
			sc.Radius = vg.Points(2.5)
			p.Add(sc)
		}
	}
	if c.YMax > c.YMin {
		p.Y.Min, p.Y.Max = c.YMin, c.YMax
	}
	if c.XMax > c.XMin {
		p.X.Min, p.X.Max = c.XMin, c.XMax
	}
	if c.YPercent {
		p.Y.Tick.Marker = percentTicks{}
	}
	if c.XMonths {
		p.X.Tick.Marker = monthTicks{}
	}
	if c.XPercent {
		p.X.Tick.Marker = percentTicks{}
	}
	return drawSVG(p, c.Width, c.Height, 320)
}

// BarChart is a chart of labelled bars, one group of bars per label.
type BarChart struct {
	Title          string
	XLabel, YLabel string
	Labels         []string
	// Groups are the bar series (one bar per label each), side by side.
	Groups []Series // only Name and Y are used
	// YPercent labels the y axis as percentages.
	YPercent bool
	// LegendLeft puts the legend at the top left instead of the top right.
	LegendLeft    bool
	Width, Height float64
}

// SVG draws the bar chart as SVG.
func (c *BarChart) SVG() ([]byte, error) {
	if len(c.Groups) == 0 || len(c.Labels) == 0 {
		return nil, errors.New("chart: no bars")
	}
	p := plot.New()
	p.Title.Text = c.Title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Legend.Top = true
	p.Legend.Left = c.LegendLeft
	p.Add(plotter.NewGrid())
	width := vg.Points(math.Max(6, math.Min(40, 360/float64(len(c.Labels)*len(c.Groups)))))
	for g, s := range c.Groups {
		if len(s.Y) != len(c.Labels) {
			return nil, fmt.Errorf("chart: bar group %q has %d values for %d labels", s.Name, len(s.Y), len(c.Labels))
		}
		for i, v := range s.Y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("chart: bar group %q value %d is not finite", s.Name, i+1)
			}
		}
		b, err := plotter.NewBarChart(plotter.Values(s.Y), width)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		b.Color = palette[g%len(palette)]
		b.LineStyle.Width = 0
		b.Offset = vg.Length(float64(g)-float64(len(c.Groups)-1)/2) * width
		p.Add(b)
		if len(c.Groups) > 1 && s.Name != "" {
			addLegend(p, s.Name, b)
		}
	}
	p.NominalX(measuredAll(c.Labels)...)
	if c.YPercent {
		p.Y.Tick.Marker = percentTicks{}
	}
	return drawSVG(p, c.Width, c.Height, 300)
}

// drawSVG draws p on a w × h point canvas (640 wide and defaultHeight high
// when unset), with a small margin at the top and right.
func drawSVG(p *plot.Plot, w, h, defaultHeight float64) ([]byte, error) {
	fitWide(p)
	if w <= 0 {
		w = 640
	}
	if h <= 0 {
		h = defaultHeight
	}
	cv := vgsvg.New(vg.Points(w), vg.Points(h))
	p.Draw(draw.Crop(draw.New(cv), 0, -vg.Points(10), 0, -vg.Points(6)))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}
