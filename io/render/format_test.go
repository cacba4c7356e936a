package render

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// strconvFloat is the rule appendFloat implements, written with strconv
// alone: the reference its fast path must match byte for byte.
func strconvFloat(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func checkFloat(t *testing.T, v float64) {
	t.Helper()
	if got, want := string(appendFloat([]byte("x,"), v)), "x,"+strconvFloat(v); got != want {
		t.Fatalf("appendFloat(%v [bits %#x]) = %q, strconv gives %q", v, math.Float64bits(v), got, want)
	}
}

// TestAppendFloatMatchesStrconv compares appendFloat with strconv on
// values of every kind the fast path sees or must refuse: random bit
// patterns, whole numbers (up to and beyond 2^53), money amounts with 1 to
// 4 decimals and sums of them (which carry binary rounding noise), values
// with more decimals, huge and tiny magnitudes, and the neighbours (next
// float64 up and down) of each, around the thresholds 1e-6, 2^50, 2^53,
// 1e15 and 1e21.
func TestAppendFloatMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	vals := []float64{0.1, 0.2, 0.3, 0.1 + 0.2, 1.005, 2.675, 0.05, 0.0001, 0.00015, 1e-6, 9.99e-7, 1e-5,
		0.5, 1.5, 2.5, 4.333333333333333, 1910, 4415.25, 407.19, 407.19000000000005, 142.5, 1854.51, 1 << 50, 1 << 53,
		1<<53 + 2, 1e15, 1e15 + 0.5, 1e16, 1e20, 1e21, 9.999999999999999e20, 123456789.123456789, 1e300, 5e-324,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 1125899906842623.5, 562949953421311.75, 0.30000000000000004}
	for range 40000 {
		vals = append(vals, math.Float64frombits(r.Uint64()))                                    // any bit pattern
		vals = append(vals, float64(r.Int64N(1<<54)-1<<53))                                      // whole numbers around ±2^53
		vals = append(vals, float64(r.IntN(10000000))/100)                                       // money, 2 decimals
		vals = append(vals, float64(r.IntN(100000))/math.Pow(10, float64(1+r.IntN(4))))          // 1..4 decimals
		vals = append(vals, float64(r.Int64N(1e15))/math.Pow(10, float64(1+r.IntN(4))))          // large, 1..4 decimals
		vals = append(vals, float64(r.IntN(100))/100+float64(r.IntN(100))/100)                   // sums: rounding noise
		vals = append(vals, r.Float64()*math.Pow(10, float64(r.IntN(44)-22)))                    // any magnitude
		vals = append(vals, float64(r.IntN(1000))/7)                                             // repeating decimals
		vals = append(vals, float64(r.IntN(100000))/1e5)                                         // 5 decimals (refused)
		vals = append(vals, math.Round(r.Float64()*1e6)/1e6*math.Pow(10, float64(r.IntN(30)-8))) // scaled
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		for _, w := range []float64{v, -v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1))} {
			checkFloat(t, w)
		}
	}
}

// FuzzAppendFloat: go test -fuzz FuzzAppendFloat ./io/render
func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, 1, -1.5, 0.05, 407.19, 0.1 + 0.2, 1 << 53, 1e21, 1e-7, 4.333333333333333} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		checkFloat(t, v)
	})
}

// BenchmarkAppendFloat: money amounts (the fast path), whole numbers, and
// values with many digits (strconv), against strconv on the same values.
func BenchmarkAppendFloat(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	sets := map[string][]float64{}
	for range 4096 {
		sets["money"] = append(sets["money"], float64(r.IntN(1000000))/100)
		sets["whole"] = append(sets["whole"], float64(r.IntN(100000)))
		sets["long"] = append(sets["long"], r.Float64()*1000)
	}
	for _, name := range []string{"money", "whole", "long"} {
		vals := sets[name]
		b.Run(name, func(b *testing.B) {
			buf := make([]byte, 0, 64)
			i := 0
			for b.Loop() {
				buf = appendFloat(buf[:0], vals[i&4095])
				i++
			}
		})
		b.Run(name+"/strconv", func(b *testing.B) {
			buf := make([]byte, 0, 64)
			i := 0
			for b.Loop() {
				buf = strconv.AppendFloat(buf[:0], vals[i&4095], 'f', -1, 64)
				i++
			}
		})
	}
}

// TestFloatMemo: the remembered text equals appendFloat's for a stream of
// repeated and new values, values whose slots collide, and texts too long
// to remember.
func TestFloatMemo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var m floatMemo
	for i := range 200000 {
		var v float64
		switch i % 4 {
		case 0:
			v = float64(3+r.IntN(13)) / 3 // a weighted score: few values
		case 1:
			v = float64(r.IntN(5000)) / 7 // weeks
		case 2:
			v = math.Float64frombits(r.Uint64()) // anything (long texts)
		default:
			v = float64(r.IntN(1000000)) / 100 // money
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if got, want := string(m.append([]byte("x"), v)), "x"+strconvFloat(v); got != want {
			t.Fatalf("value %v: memo wrote %q, want %q", v, got, want)
		}
	}
}

// TestFloatMemoTurnsOff: a stream of distinct amounts turns the memo off
// after its trial, a stream of few values keeps it on, and both write
// appendFloat's text throughout.
func TestFloatMemoTurnsOff(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct {
		name    string
		value   func(i int) float64
		wantOff bool
	}{
		{"distinct money", func(i int) float64 { return float64(i)*1.37 + 0.01 }, true},
		{"scores", func(int) float64 { return float64(3+r.IntN(13)) / 3 }, false},
	} {
		var m floatMemo
		for i := range 3 * floatMemoTrial {
			v := c.value(i)
			if got, want := string(m.append([]byte("x"), v)), "x"+strconvFloat(v); got != want {
				t.Fatalf("%s: value %v: memo wrote %q, want %q", c.name, v, got, want)
			}
		}
		if m.off != c.wantOff {
			t.Errorf("%s: memo off = %v after %d values (%d hits), want %v", c.name, m.off, m.tries, m.hit, c.wantOff)
		}
	}
}
