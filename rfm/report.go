package rfm

import "fmt"

// SegmentSummary aggregates the customers of one segment.
type SegmentSummary struct {
	Name      string
	Customers int
	// Active counts the segment's customers with a transaction in the window;
	// the means below are over them (0 when there are none).
	Active        int
	CustomerShare float64 // Customers / all customers
	Revenue       float64 // total spend of the segment
	RevenueShare  float64 // Revenue / total revenue (0 when total revenue is 0)
	MeanRecency   float64 // days
	MeanFrequency float64
	MeanMonetary  float64
}

// Cell is one cell of the R×F grid.
type Cell struct {
	R, F      int
	Customers int
	// MeanMonetary is the mean monetary value of the cell's active customers
	// (0 for an empty cell).
	MeanMonetary float64
}

// Report is the aggregate view of a scored customer base.
type Report struct {
	Customers int
	Active    int
	Revenue   float64
	Bins      int
	// Segments in segmentation order (Segmentation.Names).
	Segments []SegmentSummary
	// Grid has Bins×Bins cells, R descending (best first), then F ascending.
	Grid []Cell
	// Recency, Frequency and Monetary are the scales of the scores.
	Recency, Frequency, Monetary Scale
}

// Summarize aggregates metrics m, their scores s and segmentation g (all for
// the same customers, in the same order) into a Report.
func Summarize(m *Metrics, s *Scores, g *Segmentation) (*Report, error) {
	n := m.Len()
	if s.Len() != n || len(g.Of) != n {
		return nil, fmt.Errorf("rfm: report over %d customers with %d scores and %d segments", n, s.Len(), len(g.Of))
	}
	k := s.Bins
	rep := &Report{
		Customers: n, Active: s.Active, Bins: k,
		Segments: make([]SegmentSummary, len(g.Names)),
		Grid:     make([]Cell, k*k),
		Recency:  s.Recency, Frequency: s.Frequency, Monetary: s.Monetary,
	}
	revenue := m.Revenue
	if revenue == nil {
		revenue = m.Monetary
	}
	type sums struct{ rec, frq, mon float64 }
	seg := make([]sums, len(g.Names))
	cellMon := make([]float64, k*k)
	cellActive := make([]int, k*k)
	for c := range rep.Grid {
		rep.Grid[c].R = k - c/k
		rep.Grid[c].F = 1 + c%k
	}
	for j, name := range g.Names {
		rep.Segments[j].Name = name
	}
	for i := 0; i < n; i++ {
		j := g.Of[i]
		ss := &rep.Segments[j]
		ss.Customers++
		ss.Revenue += revenue[i]
		rep.Revenue += revenue[i]
		c := (k-int(s.R[i]))*k + int(s.F[i]) - 1
		rep.Grid[c].Customers++
		if m.Frequency[i] == 0 {
			continue
		}
		ss.Active++
		seg[j].rec += float64(m.Recency[i])
		seg[j].frq += float64(m.Frequency[i])
		seg[j].mon += m.Monetary[i]
		cellMon[c] += m.Monetary[i]
		cellActive[c]++
	}
	for j := range rep.Segments {
		ss := &rep.Segments[j]
		if n > 0 {
			ss.CustomerShare = float64(ss.Customers) / float64(n)
		}
		if rep.Revenue != 0 {
			ss.RevenueShare = ss.Revenue / rep.Revenue
		}
		if ss.Active > 0 {
			a := float64(ss.Active)
			ss.MeanRecency = seg[j].rec / a
			ss.MeanFrequency = seg[j].frq / a
			ss.MeanMonetary = seg[j].mon / a
		}
	}
	for c := range rep.Grid {
		if cellActive[c] > 0 {
			rep.Grid[c].MeanMonetary = cellMon[c] / float64(cellActive[c])
		}
	}
	return rep, nil
}
