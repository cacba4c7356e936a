package hazard

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
)

// Decile is one tenth of the scored subscribers, ranked by score from the
// highest (decile 1) down.
type Decile struct {
	Decile      int `json:"decile"`
	Subscribers int `json:"subscribers"`
	Churned     int `json:"churned"`
	// ChurnRate is Churned / Subscribers; Lift is ChurnRate over the
	// overall churn rate.
	ChurnRate float64 `json:"churn_rate"`
	Lift      float64 `json:"lift"`
	// MeanScore is the mean score (the mean predicted probability for a
	// probability model).
	MeanScore float64 `json:"mean_score"`
	// MinScore and MaxScore bound the scores in the decile.
	MinScore float64 `json:"min_score"`
	MaxScore float64 `json:"max_score"`
}

// Recall is the share of all churners found among the top Share of scores.
type Recall struct {
	Share  float64 `json:"share"`
	Recall float64 `json:"recall"`
}

// Evaluation measures how well scores rank and predict a binary outcome.
type Evaluation struct {
	Subscribers int `json:"subscribers"`
	Churned     int `json:"churned"`
	// ChurnRate is the observed share churned; MeanScore the mean score.
	ChurnRate float64 `json:"churn_rate"`
	MeanScore float64 `json:"mean_score"`
	// AUC is the area under the ROC curve (the probability that a random
	// churner scores above a random stayer, ties counting one half).
	AUC float64 `json:"auc"`
	// Brier is the mean squared difference between score and outcome.
	Brier float64 `json:"brier"`
	// Deciles rank by score (decile 1 highest); for a probability model
	// they are the calibration table by decile.
	Deciles []Decile `json:"deciles"`
	// Recall at the top 5, 10 and 20 % of scores.
	Recall []Recall `json:"recall"`
}

// Evaluate scores against outcomes. Scores must be finite; ties are ranked
// by index (stable), so deciles are deterministic.
func Evaluate(score []float64, churned []bool) (*Evaluation, error) {
	n := len(score)
	if n != len(churned) {
		return nil, fmt.Errorf("%w: %d scores for %d outcomes", ErrInvalidInput, n, len(churned))
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: no subscribers to evaluate", ErrTooLittleData)
	}
	e := &Evaluation{Subscribers: n}
	for i, s := range score {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("%w: score %d is %g", ErrInvalidInput, i, s)
		}
		y := 0.0
		if churned[i] {
			y = 1
			e.Churned++
		}
		e.MeanScore += s
		e.Brier += (s - y) * (s - y)
	}
	e.MeanScore /= float64(n)
	e.Brier /= float64(n)
	e.ChurnRate = float64(e.Churned) / float64(n)
	e.AUC = AUC(score, churned)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	for d := 0; d < 10; d++ {
		lo, hi := d*n/10, (d+1)*n/10
		if hi <= lo {
			continue
		}
		dc := Decile{Decile: d + 1, Subscribers: hi - lo, MinScore: math.Inf(1), MaxScore: math.Inf(-1)}
		for _, i := range order[lo:hi] {
			if churned[i] {
				dc.Churned++
			}
			dc.MeanScore += score[i]
			dc.MinScore = math.Min(dc.MinScore, score[i])
			dc.MaxScore = math.Max(dc.MaxScore, score[i])
		}
		dc.MeanScore /= float64(dc.Subscribers)
		dc.ChurnRate = float64(dc.Churned) / float64(dc.Subscribers)
		if e.ChurnRate > 0 {
			dc.Lift = dc.ChurnRate / e.ChurnRate
		}
		e.Deciles = append(e.Deciles, dc)
	}
	for _, share := range []float64{0.05, 0.10, 0.20} {
		k := int(math.Ceil(share * float64(n)))
		found := 0
		for _, i := range order[:k] {
			if churned[i] {
				found++
			}
		}
		r := Recall{Share: share}
		if e.Churned > 0 {
			r.Recall = float64(found) / float64(e.Churned)
		}
		e.Recall = append(e.Recall, r)
	}
	return e, nil
}

// AUC returns the Mann–Whitney estimate of the area under the ROC curve:
// the share of (churner, stayer) pairs in which the churner scores higher,
// ties counting one half. It is 0.5 when either class is empty.
func AUC(score []float64, churned []bool) float64 {
	n := len(score)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score[a], score[b]) })
	// Midranks of ties; sum of the ranks of the churners.
	var rankSum float64
	var pos int
	for i := 0; i < n; {
		j := i
		for j < n && score[order[j]] == score[order[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // ranks i+1..j
		for _, k := range order[i:j] {
			if churned[k] {
				rankSum += mid
				pos++
			}
		}
		i = j
	}
	neg := n - pos
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (rankSum - float64(pos)*float64(pos+1)/2) / (float64(pos) * float64(neg))
}

// Outcome returns, for each subscriber row in rows, whether it churned in
// (from, to]: a churn date after from and on or before to.
func Outcome(s *dataset.Subscribers, rows []int, from, to dataset.Day) []bool {
	out := make([]bool, len(rows))
	for i, r := range rows {
		c := s.Churn[r]
		out[i] = c != dataset.NoDay && c > from && c <= to
	}
	return out
}

// BacktestResult is a churn model fitted and scored at Cutoff and checked
// against the churn observed in (Cutoff, AsOf].
type BacktestResult struct {
	Cutoff, AsOf dataset.Day
	Model        *Model
	Scores       *Scores
	// Churned[i] is the outcome of Scores.Rows[i].
	Churned    []bool
	Evaluation *Evaluation
}

// Cutoff returns the day Horizon periods before asOf: the day before the
// day that is Horizon × Period.Months() calendar months before asOf + 1
// (2024-12-31 minus three months is 2024-09-30).
func Cutoff(asOf dataset.Day, period dataset.Period, horizon int) dataset.Day {
	y, m, d := (asOf + 1).Date()
	months := (y*12 + m - 1) - horizon*period.Months()
	ny, nm := months/12, months%12+1
	return dataset.Civil(ny, nm, min(d, dataset.DaysIn(ny, nm))) - 1
}

// Backtest fits and scores the model at Cutoff(opt.AsOf, opt.Period,
// opt.Horizon), using nothing dated after that day, and evaluates the
// probabilities against the churn observed in (cutoff, opt.AsOf].
func Backtest(d Data, opt Options) (*BacktestResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	cut := Cutoff(opt.AsOf, opt.Period, opt.Horizon)
	at := opt
	at.AsOf = cut
	m, err := Fit(d, at)
	if err != nil {
		return nil, fmt.Errorf("backtest at %s: %w", cut, err)
	}
	s, err := m.Score(d)
	if err != nil {
		return nil, fmt.Errorf("backtest at %s: %w", cut, err)
	}
	churned := Outcome(d.Subs, s.Rows, cut, opt.AsOf)
	ev, err := Evaluate(s.Probability, churned)
	if err != nil {
		return nil, fmt.Errorf("backtest at %s: %w", cut, err)
	}
	return &BacktestResult{Cutoff: cut, AsOf: opt.AsOf, Model: m, Scores: s, Churned: churned, Evaluation: ev}, nil
}
