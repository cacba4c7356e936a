package chart

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
)

// cohortMatrix is a 3-cohort triangle with one missing cell per later row.
func cohortMatrix(m kpi.Metric) *kpi.Matrix {
	jan, feb, mar := dataset.Civil(2024, 1, 1), dataset.Civil(2024, 2, 1), dataset.Civil(2024, 3, 1)
	return &kpi.Matrix{Metric: m, Cohort: []dataset.Day{jan, feb, mar}, Group: []string{"", "", ""},
		Subscribers: []int64{10, 20, 30}, Tenures: 3,
		Values:   [][]float64{{0.9, 0.8, 0.7}, {0.95, 0.85, 0}, {0.97, 0, 0}},
		Present:  [][]bool{{true, true, true}, {true, true, false}, {true, false, false}},
		Censored: [][]bool{{false, false, true}, {false, true, false}, {true, false, false}}}
}

func TestCohortHeatmap(t *testing.T) {
	h := Cohort(cohortMatrix(kpi.MetricRetention), "Cohorts")
	if len(h.Labels) != 3 || len(h.Columns) != 3 || !h.Missing[2][1] || h.Missing[1][1] {
		t.Fatalf("labels %v columns %v missing %v", h.Labels, h.Columns, h.Missing)
	}
	// Retention is drawn from the lowest value rounded down to a tenth (0.7) to 1.
	if h.Min != 0.7 || h.Max != 1 {
		t.Errorf("scale [%v, %v], want [0.7, 1]", h.Min, h.Max)
	}
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := h.Write(w, "svg"); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !strings.Contains(a.String(), "0.97") || strings.Contains(a.String(), ">0.00<") {
		t.Error("SVG differs between runs, lacks a value or prints a missing cell")
	}
	var p bytes.Buffer
	if err := h.Write(&p, "png"); err != nil || !bytes.HasPrefix(p.Bytes(), []byte("\x89PNG")) {
		t.Errorf("png: %v", err)
	}
	r := Cohort(cohortMatrix(kpi.MetricRevenue), "Revenue")
	if r.Min != 0 || r.Max != 0.97 {
		t.Errorf("revenue scale [%v, %v], want [0, 0.97]", r.Min, r.Max)
	}
	// A non-finite value in a present cell is refused.
	bad := cohortMatrix(kpi.MetricRetention)
	bad.Values[0][0] = 1 / zero()
	if err := Cohort(bad, "").Write(&bytes.Buffer{}, "svg"); err == nil {
		t.Error("Inf accepted")
	}
}

func zero() float64 { return 0 }

func TestKPITrend(t *testing.T) {
	tab := &kpi.Table{Options: kpi.Options{Period: dataset.PeriodMonth}, Rows: []kpi.Movement{
		{Period: dataset.Civil(2024, 1, 1), ClosingBase: 10, GrossAdds: 3, Churners: 1, ARPU: 5},
		{Period: dataset.Civil(2024, 2, 1), ClosingBase: 12, GrossAdds: 4, Churners: 2, ARPU: 6},
		{Period: dataset.Civil(2024, 1, 1), Group: "prepaid", ClosingBase: 4},
	}}
	charts, err := KPITrend(tab, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 3 || len(charts[0].Series[0].X) != 2 || charts[0].Series[0].X[1] != 2024+1.0/12 || charts[2].Series[0].Y[1] != 6 {
		t.Fatalf("charts %+v", charts)
	}
	for _, c := range charts {
		if _, err := c.SVG(); err != nil {
			t.Fatal(err)
		}
	}
	if charts, _ := KPITrend(tab, "prepaid", false); len(charts) != 2 {
		t.Errorf("without revenue: %d charts", len(charts))
	}
	if _, err := KPITrend(tab, "postpaid", true); err == nil {
		t.Error("a group without rows accepted")
	}
}
