package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseFloatList(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []float64
		err  string
	}{
		{"", nil, ""},
		{"  ", nil, ""},
		{"1, 2.5 ,-3", []float64{1, 2.5, -3}, ""},
		{"1e-400", []float64{0}, ""},
		{"1,ninety", nil, `--x: "ninety" is not a number`},
		{"1,,2", nil, `--x: "" is not a number`},
		{"NaN", nil, `--x: "NaN" is not a finite number`},
		{"1, -Inf", nil, `--x: "-Inf" is not a finite number`},
		{"1e400", nil, `--x: "1e400" is out of range`},
	} {
		got, err := parseFloatList("--x", c.in)
		if c.err == "" {
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseFloatList(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
			continue
		}
		var ue usageError
		if err == nil || !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), c.err) {
			t.Errorf("parseFloatList(%q) error = %v; want a usage error starting %q", c.in, err, c.err)
		}
	}
}

func TestChartFormat(t *testing.T) {
	for in, want := range map[string]string{"": "", "a.svg": "svg", "dir/B.PNG": "png", "x.png.svg": "svg"} {
		if got, err := chartFormat(in); err != nil || got != want {
			t.Errorf("chartFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"x.gif", "png", "x.svg.gz", ".gif"} {
		if _, err := chartFormat(in); err == nil || !strings.Contains(err.Error(), ".svg or .png") {
			t.Errorf("chartFormat(%q) error = %v; want a usage error", in, err)
		}
	}
}
