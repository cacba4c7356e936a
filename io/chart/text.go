package chart

import (
	"strings"

	"golang.org/x/text/width"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Chinese text in charts. gonum/plot lays text out with the metrics of its
// Latin font (Liberation), which has no Chinese glyphs: it measures a
// Chinese character at 0.78 em, while the viewer draws it 1 em wide with a
// Chinese font. Right-aligned and centred text (legend entries, titles,
// axis labels, tick labels) then spills over its neighbours. measured pads
// such text with one trailing space (0.25 em as measured) per wide
// character, so the measured width is the drawn one; viewers drop trailing
// spaces of SVG text, and in PNG a space draws nothing. Text without wide
// characters is returned unchanged, so English charts are as before.

// measured returns s padded for gonum/plot's measurement (see above).
func measured(s string) string {
	n := wideRunes(s)
	if n == 0 {
		return s
	}
	return s + strings.Repeat(" ", n)
}

func wideRunes(s string) int {
	n := 0
	for _, r := range s {
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			n++
		}
	}
	return n
}

// fitWide pads the title and axis labels of p for measurement.
func fitWide(p *plot.Plot) {
	if wideRunes(p.X.Label.Text) > 0 {
		// Chinese glyphs reach lower than the Latin tick labels the
		// axis label is spaced for.
		p.X.Label.Padding += vg.Points(4)
	}
	p.Title.Text = measured(p.Title.Text)
	p.X.Label.Text = measured(p.X.Label.Text)
	p.Y.Label.Text = measured(p.Y.Label.Text)
}

// addLegend adds a legend entry, padded for measurement; an entry with
// Chinese text also spaces the legend rows for Chinese glyphs, taller than
// the Latin letters the rows are spaced for.
func addLegend(p *plot.Plot, name string, thumbs ...plot.Thumbnailer) {
	if wideRunes(name) > 0 {
		p.Legend.Padding = vg.Points(3)
	}
	p.Legend.Add(measured(name), thumbs...)
}

// measuredAll pads labels for measurement.
func measuredAll(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = measured(l)
	}
	return out
}

// wideTicks pads tick labels for measurement.
func wideTicks(ts []plot.Tick) []plot.Tick {
	for i := range ts {
		ts[i].Label = measured(ts[i].Label)
	}
	return ts
}
