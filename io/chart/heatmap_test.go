package chart

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"strings"
	"testing"
)

var keep = flag.String("keep", "", "write the test heat maps into this folder for a visual check")

func testHeatmap() *Heatmap {
	return &Heatmap{
		Title:  "Transition probabilities",
		Labels: []string{"1", "2", "3", "4", "5"},
		Values: [][]float64{
			{.30, .70, 0, 0, 0},
			{.20, 0, .80, 0, 0},
			{.15, 0, 0, .85, 0},
			{.05, 0, 0, 0, .95},
			{0, 0, 0, 0, 1},
		},
		Counts: [][]int64{{3, 7, 0, 0, 0}, {2, 0, 8, 0, 0}, {15, 0, 0, 85, 0}, {5, 0, 0, 0, 95}, {0, 0, 0, 0, 10}},
	}
}

func TestHeatmapSVG(t *testing.T) {
	h := testHeatmap()
	var a, b bytes.Buffer
	if err := h.Write(&a, "svg"); err != nil {
		t.Fatal(err)
	}
	if err := h.Write(&b, "svg"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("SVG output differs between runs")
	}
	s := a.String()
	for _, want := range []string{"<svg", "Transition probabilities", "0.85", "n=95", ">from<", ">to<"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if *keep != "" {
		os.WriteFile(*keep+"/heatmap.svg", a.Bytes(), 0o644)
	}
}

func TestHeatmapPNG(t *testing.T) {
	h := testHeatmap()
	var buf bytes.Buffer
	if err := h.Write(&buf, "png"); err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		os.WriteFile(*keep+"/heatmap.png", buf.Bytes(), 0o644)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 300 || b.Dx() != b.Dy() {
		t.Errorf("image size %v", b)
	}
}

func TestHeatmapErrors(t *testing.T) {
	cases := map[string]*Heatmap{
		"empty":     {},
		"ragged":    {Labels: []string{"a", "b"}, Values: [][]float64{{1, 0}, {1}}},
		"row count": {Labels: []string{"a", "b"}, Values: [][]float64{{1, 0}}},
		"nan":       {Labels: []string{"a"}, Values: [][]float64{{nan()}}},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			if err := h.Write(&bytes.Buffer{}, "svg"); err == nil {
				t.Error("no error")
			}
		})
	}
	if err := testHeatmap().Write(&bytes.Buffer{}, "gif"); err == nil {
		t.Error("gif accepted")
	}
}

func nan() float64 { z := 0.0; return z / z }
