package chart

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Heatmap is a matrix drawn as coloured cells with the value (and an
// optional count) printed in each cell, rows top to bottom in the given
// order. It is made for transition matrices: rows are "from" states, columns
// "to" states, and values are probabilities in [0, 1] (values outside are
// clamped to the colour scale; the printed number is exact). With Columns
// set it draws any rectangular table, for example a cohort matrix.
type Heatmap struct {
	Title  string
	Labels []string    // row names (and column names when Columns is nil)
	Values [][]float64 // Values[i][j]: row i, column j
	// Counts, when set, are printed under each value as "n=…".
	Counts [][]int64
	// XLabel and YLabel name the axes (default "to" and "from").
	XLabel, YLabel string
	// Columns, when set, names the columns: the matrix is len(Labels) ×
	// len(Columns), and Missing[i][j] (when set) leaves cell (i, j) blank.
	Columns []string
	Missing [][]bool
	// Min and Max are the values drawn lightest and darkest (default 0
	// and 1); only with Columns set.
	Min, Max float64
	// Digits is the number of decimals printed (default 2).
	Digits int
}

// Write draws the heat map to w as "svg" or "png". SVG text uses the
// viewer's fonts (no embedded font data), which keeps files small and
// byte-identical between runs.
func (h *Heatmap) Write(w io.Writer, format string) error {
	n := len(h.Labels)
	if n == 0 {
		return errors.New("chart: heat map has no rows")
	}
	if h.Columns != nil {
		return h.writeRect(w, format)
	}
	if len(h.Values) != n {
		return fmt.Errorf("chart: heat map has %d labels and %d rows", n, len(h.Values))
	}
	for i, row := range h.Values {
		if len(row) != n {
			return fmt.Errorf("chart: heat map row %d has %d values, want %d", i, len(row), n)
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("chart: heat map row %d holds %v", i, v)
			}
		}
	}
	if h.Counts != nil && len(h.Counts) != n {
		return fmt.Errorf("chart: heat map has %d count rows, want %d", len(h.Counts), n)
	}
	p := plot.New()
	p.Title.Text = h.Title
	p.X.Label.Text = orDefault(h.XLabel, "to")
	p.Y.Label.Text = orDefault(h.YLabel, "from")

	hm := plotter.NewHeatMap(heatGrid{h.Values}, blues(256))
	hm.Min, hm.Max = 0, 1
	hm.Rasterized = false
	p.Add(hm)

	var xys plotter.XYs
	var texts []string
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := h.Values[i][j]
			s := strconv.FormatFloat(v, 'f', 2, 64)
			if h.Counts != nil && j < len(h.Counts[i]) {
				if v == 0 && h.Counts[i][j] == 0 {
					s = "" // an impossible, never-seen move: keep the cell clean
				} else {
					s += "\nn=" + strconv.FormatInt(h.Counts[i][j], 10)
				}
			}
			xys = append(xys, plotter.XY{X: float64(j), Y: float64(n - 1 - i)})
			texts = append(texts, s)
		}
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	for k := range labels.TextStyle {
		st := labels.TextStyle[k]
		st.XAlign = draw.XCenter
		st.YAlign = draw.YCenter
		st.Font.Size = vg.Points(9)
		i, j := k/n, k%n
		if h.Values[i][j] > 0.55 {
			st.Color = color.White
		} else {
			st.Color = color.Black
		}
		labels.TextStyle[k] = st
	}
	p.Add(labels)

	xt := make([]plot.Tick, n)
	yt := make([]plot.Tick, n)
	for i, l := range h.Labels {
		xt[i] = plot.Tick{Value: float64(i), Label: l}
		yt[i] = plot.Tick{Value: float64(n - 1 - i), Label: l}
	}
	p.X.Tick.Marker = plot.ConstantTicks(wideTicks(xt))
	p.Y.Tick.Marker = plot.ConstantTicks(wideTicks(yt))
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5

	size := vg.Length(n)*0.9*vg.Inch + 1.6*vg.Inch
	return writePlot(w, p, format, size, size)
}

// writePlot draws p on a width × height canvas as "svg" or "png".
func writePlot(w io.Writer, p *plot.Plot, format string, width, height vg.Length) error {
	fitWide(p)
	var err error
	switch format {
	case "svg":
		c := vgsvg.New(width, height)
		p.Draw(pad(draw.New(c)))
		_, err = c.WriteTo(w)
	case "png":
		c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(144))}
		p.Draw(pad(draw.New(c)))
		_, err = c.WriteTo(w)
	default:
		return fmt.Errorf("chart: unknown image format %q (want svg or png)", format)
	}
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

// pad leaves a margin on the right and at the top, where gonum/plot draws
// up to the edge of the canvas.
func pad(c draw.Canvas) draw.Canvas {
	return draw.Crop(c, 0.05*vg.Inch, -0.3*vg.Inch, 0.05*vg.Inch, -0.15*vg.Inch)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// heatGrid adapts a matrix to plotter.GridXYZ with row 0 at the top.
type heatGrid struct{ v [][]float64 }

func (g heatGrid) Dims() (c, r int)   { return len(g.v), len(g.v) }
func (g heatGrid) Z(c, r int) float64 { return math.Max(0, math.Min(1, g.v[len(g.v)-1-r][c])) }
func (g heatGrid) X(c int) float64    { return float64(c) }
func (g heatGrid) Y(r int) float64    { return float64(r) }

// blues is a sequential white-to-dark-blue palette of n colours: light cells
// are rare transitions, dark cells likely ones.
type blues int

func (b blues) Colors() []color.Color {
	n := int(b)
	out := make([]color.Color, n)
	lo := [3]float64{247, 251, 255}
	hi := [3]float64{8, 48, 107}
	for k := range out {
		t := float64(k) / float64(n-1)
		out[k] = color.RGBA{
			R: uint8(math.Round(lo[0] + t*(hi[0]-lo[0]))),
			G: uint8(math.Round(lo[1] + t*(hi[1]-lo[1]))),
			B: uint8(math.Round(lo[2] + t*(hi[2]-lo[2]))),
			A: 255,
		}
	}
	return out
}
