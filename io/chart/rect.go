package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// writeRect draws a heat map with its own column names (Heatmap.Columns):
// len(Labels) rows × len(Columns) columns, small cells, missing cells blank.
func (h *Heatmap) writeRect(w io.Writer, format string) error {
	rows, cols := len(h.Labels), len(h.Columns)
	if cols == 0 {
		return fmt.Errorf("chart: heat map has no columns")
	}
	if len(h.Values) != rows {
		return fmt.Errorf("chart: heat map has %d labels and %d rows", rows, len(h.Values))
	}
	if h.Missing != nil && len(h.Missing) != rows {
		return fmt.Errorf("chart: heat map has %d rows and %d rows of missing marks", rows, len(h.Missing))
	}
	missing := func(i, j int) bool { return h.Missing != nil && j < len(h.Missing[i]) && h.Missing[i][j] }
	for i, row := range h.Values {
		if len(row) != cols {
			return fmt.Errorf("chart: heat map row %d has %d values, want %d", i, len(row), cols)
		}
		for j, v := range row {
			if !missing(i, j) && (math.IsNaN(v) || math.IsInf(v, 0)) {
				return fmt.Errorf("chart: heat map row %d holds %v", i, v)
			}
		}
	}
	lo, top := h.Min, h.Max
	if !(top > lo) || math.IsInf(top, 0) || math.IsInf(lo, 0) {
		lo, top = 0, 1
	}
	digits := h.Digits
	if digits <= 0 {
		digits = 2
	}
	p := plot.New()
	p.Title.Text = h.Title
	p.X.Label.Text = orDefault(h.XLabel, "to")
	p.Y.Label.Text = orDefault(h.YLabel, "from")
	hm := plotter.NewHeatMap(rectGrid{h, lo, top, missing}, blues(256))
	hm.Min, hm.Max = 0, 1
	hm.Rasterized = false
	hm.NaN = color.White
	p.Add(hm)

	var xys plotter.XYs
	var texts []string
	var dark []bool
	for i := range rows {
		for j := range cols {
			if missing(i, j) {
				continue
			}
			v := h.Values[i][j]
			xys = append(xys, plotter.XY{X: float64(j), Y: float64(rows - 1 - i)})
			texts = append(texts, strconv.FormatFloat(v, 'f', digits, 64))
			dark = append(dark, (v-lo)/(top-lo) > 0.55)
		}
	}
	if len(xys) > 0 {
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
		if err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		for k := range labels.TextStyle {
			st := labels.TextStyle[k]
			st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
			st.Font.Size = vg.Points(6)
			st.Color = color.Black
			if dark[k] {
				st.Color = color.White
			}
			labels.TextStyle[k] = st
		}
		p.Add(labels)
	}
	xt := make([]plot.Tick, cols)
	for j, l := range h.Columns {
		xt[j] = plot.Tick{Value: float64(j), Label: l}
	}
	yt := make([]plot.Tick, rows)
	for i, l := range h.Labels {
		yt[i] = plot.Tick{Value: float64(rows - 1 - i), Label: l}
	}
	p.X.Tick.Marker = plot.ConstantTicks(wideTicks(xt))
	p.Y.Tick.Marker = plot.ConstantTicks(wideTicks(yt))
	p.X.Tick.Label.Font.Size = vg.Points(7)
	p.Y.Tick.Label.Font.Size = vg.Points(7)
	p.X.Min, p.X.Max = -0.5, float64(cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	width := vg.Length(cols)*0.42*vg.Inch + 1.4*vg.Inch
	height := vg.Length(rows)*0.24*vg.Inch + 1.2*vg.Inch
	return writePlot(w, p, format, width, height)
}

// rectGrid adapts a rectangular heat map to plotter.GridXYZ with row 0 at the
// top, values scaled from [lo, top] to [0, 1]; missing cells are NaN (drawn
// white).
type rectGrid struct {
	h       *Heatmap
	lo, top float64
	missing func(i, j int) bool
}

func (g rectGrid) Dims() (c, r int) { return len(g.h.Columns), len(g.h.Labels) }
func (g rectGrid) Z(c, r int) float64 {
	i := len(g.h.Labels) - 1 - r
	if g.missing(i, c) {
		return math.NaN()
	}
	return math.Max(0, math.Min(1, (g.h.Values[i][c]-g.lo)/(g.top-g.lo)))
}
func (g rectGrid) X(c int) float64 { return float64(c) }
func (g rectGrid) Y(r int) float64 { return float64(r) }
