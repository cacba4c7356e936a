package chart

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/btyd"
)

var (
	actualColor    = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
	predictedColor = color.RGBA{R: 0xd9, G: 0x5f, B: 0x02, A: 0xff}
)

// Holdout writes two panels side by side: mean actual vs predicted holdout
// transactions by calibration frequency (bars), and cumulative actual vs
// expected repeat transactions per unit period (lines, with the end of the
// calibration period marked), as format "svg" or "png".
func Holdout(w io.Writer, format, model, unit string, bins []btyd.FrequencyBin, td *clv.Tracking) error {
	bar, err := frequencyPlot(model, bins)
	if err != nil {
		return err
	}
	line, err := trackingPlot(model, unit, td)
	if err != nil {
		return err
	}
	width, height := 12*vg.Inch, 4.5*vg.Inch
	var c vg.CanvasWriterTo
	if format == "svg" {
		c = vgsvg.New(width, height)
	} else {
		c = vgimg.PngCanvas{Canvas: vgimg.New(width, height)}
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	plots := [][]*plot.Plot{{bar, line}}
	canvases := plot.Align(plots, tiles, dc)
	bar.Draw(canvases[0][0])
	line.Draw(canvases[0][1])
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("holdout chart: %w", err)
	}
	return nil
}

func frequencyPlot(model string, bins []btyd.FrequencyBin) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = model + ": holdout transactions by calibration frequency"
	p.X.Label.Text = "repeat transactions in calibration"
	p.Y.Label.Text = "mean holdout transactions per customer"
	act := make(plotter.Values, len(bins))
	prd := make(plotter.Values, len(bins))
	names := make([]string, len(bins))
	for k, b := range bins {
		act[k], prd[k] = b.Actual, b.Predicted
		names[k] = fmt.Sprint(b.Frequency)
		if b.Censored {
			names[k] += "+"
		}
	}
	w := vg.Points(12)
	ba, err := plotter.NewBarChart(act, w)
	if err != nil {
		return nil, err
	}
	ba.Color = actualColor
	ba.LineStyle.Width = 0
	ba.Offset = -w / 2
	bp, err := plotter.NewBarChart(prd, w)
	if err != nil {
		return nil, err
	}
	bp.Color = predictedColor
	bp.LineStyle.Width = 0
	bp.Offset = w / 2
	p.Add(ba, bp)
	p.Legend.Add("actual", ba)
	p.Legend.Add("predicted", bp)
	p.Legend.Top = true
	p.Legend.Left = true
	p.NominalX(names...)
	return p, nil
}

func trackingPlot(model, unit string, td *clv.Tracking) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = model + ": cumulative repeat transactions"
	p.X.Label.Text = unit + "s since the cohort's first purchase"
	p.Y.Label.Text = "cumulative repeat transactions"
	pa := make(plotter.XYs, len(td.Period))
	pe := make(plotter.XYs, len(td.Period))
	maxY := 0.0
	for k := range td.Period {
		pa[k] = plotter.XY{X: td.Period[k], Y: td.Actual[k]}
		pe[k] = plotter.XY{X: td.Period[k], Y: td.Expected[k]}
		maxY = max(maxY, td.Actual[k], td.Expected[k])
	}
	la, err := plotter.NewLine(pa)
	if err != nil {
		return nil, err
	}
	la.Color = actualColor
	la.Width = vg.Points(1.5)
	le, err := plotter.NewLine(pe)
	if err != nil {
		return nil, err
	}
	le.Color = predictedColor
	le.Width = vg.Points(1.5)
	le.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	cal, err := plotter.NewLine(plotter.XYs{{X: td.CalibrationEnd, Y: 0}, {X: td.CalibrationEnd, Y: maxY}})
	if err != nil {
		return nil, err
	}
	cal.Color = color.Gray{Y: 0x99}
	cal.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(la, le, cal)
	p.Legend.Add("actual", la)
	p.Legend.Add("expected", le)
	p.Legend.Add("end of calibration", cal)
	p.Legend.Top = true
	p.Legend.Left = true
	return p, nil
}
