package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/rfm"
)

func init() { register(newRFMCmd) }

const rfmLong = `Score every customer on recency, frequency and monetary value (RFM) and assign
rule-based segments. One row per customer, columns in this order:

  customer_id   the customer (subscriber) id
  recency_days  as_of − last transaction date (for a subscriber without transactions:
                days since activation)
  frequency     --frequency transactions (rows, default) or days (distinct transaction days)
  spend         the spend scored into m_score: --monetary total (sum of amounts,
                default) or mean (per transaction)
  r_score       1..k recency score (k = --bins, default 5; k is best: the fewest days)
  f_score       1..k frequency score (k = the most transactions)
  m_score       1..k monetary score (k = the highest spend)
  rfm_cell      the three scores as digits, R first ("545")
  rfm_score     weighted score (wR·R + wF·F + wM·M) / (wR + wF + wM), --weights wR,wF,wM
                (default 1,1,1: the mean of the three scores)
  segment       first matching segment rule, "Others" when none matches
  monetary      deprecated copy of spend (renamed: in summarize and predict,
                monetary is the mean repeat-day spend); removed in the next release

Scoring methods (--method):
  ntile       (default) customers ordered by the metric — recency descending, frequency
              and monetary ascending — ties broken by customer id in byte order, then
              cut into k groups whose sizes differ by at most one, larger groups first:
              exactly SQL's NTILE(k) OVER (ORDER BY metric, customer_id). Every bin is
              equally full; tied values can land in neighbouring bins.
  quantile    cut points are the sample quantiles at i/k, i = 1..k−1, by linear
              interpolation (R's quantile type 7). A value scores 1 + the number of cut
              points it exceeds (recency: k − that number). Equal values always share a
              score; bins can be uneven (a note says so).
  thresholds  your own cut points: --r-thresholds 30,90,180,365 (days) --f-thresholds
              --m-thresholds, k − 1 increasing values each; scored as for quantile.
              Giving the thresholds selects this method.
The cut points actually used are printed on stderr and are part of --report.
Money is compared to the nearest millionth of a currency unit, so equal totals whose
floating-point sums differ in the last digit (407.19 vs 407.19000000000005) tie.

Customers without a transaction in the window (subscribers from -s with no activity)
are kept with frequency 0 and monetary 0 and score 1 on R, F and M; they are left out
of the ranking, so the bins are filled with active customers only (the same customers
a SQL NTILE over the transaction table sees).

Default segments (first match wins; scores on the 1..5 scale; M is not used — the
classic R×F grid, which these ten names cover completely):
  Champions           R 5     F 4–5
  Loyal Customers     R 3–4   F 4–5
  Potential Loyalist  R 4–5   F 2–3
  New Customers       R 5     F 1
  Promising           R 4     F 1
  Need Attention      R 3     F 3
  About To Sleep      R 3     F 1–2
  At Risk             R 1–2   F 3–4
  Can't Lose Them     R 1–2   F 5
  Lost                R 1–2   F 1–2
With --bins other than 5 a score s counts as 1 + round(4(s−1)/(k−1)) for these rules.

--segments FILE replaces them with your rules: CSV with the header
name,r_min,r_max,f_min,f_max,m_min,m_max (name required, other columns optional and in
any order; an empty field or a missing column leaves that bound open; # starts a
comment line). Rules are tried top to bottom, so overlapping ranges are fine; several
rules may share a name. Unknown columns, bounds outside 1..k and an empty rule set are
errors. See examples/rfm-telecom-segments.csv.

--report prints the aggregate view instead of the per-customer rows: per segment the
customers, share of customers, revenue (total spend), share of revenue and mean
recency/frequency/spend (over customers with transactions); the scales (cut points,
and per score the customers and metric range); and the k×k R×F grid of customer
counts and mean spend (the classic RFM heat map). Tables: segments (the main one:
CSV and Parquet write it unless --table names another), thresholds, grid (long),
rf_customers and rf_mean_spend (wide); JSON holds all of them with the settings.`

// rfmFlags are the options of clv rfm.
type rfmFlags struct {
	method      string
	bins        int
	frequency   string
	monetary    string
	rThresholds string
	fThresholds string
	mThresholds string
	weights     string
	segments    string
	report      bool
}

// rfmConfig is the validated form of rfmFlags.
type rfmConfig struct {
	opt       rfm.Options
	rules     []rfm.Rule
	rulesName string // "default" or the rules file
	days      bool   // frequency = distinct days
	mean      bool   // monetary = mean per transaction
}

func newRFMCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var f rfmFlags
	cmd := &cobra.Command{
		Use:   "rfm -t TRANSACTIONS [-s SUBSCRIBERS] [--as-of DATE] [--method ntile|quantile|thresholds] [--bins 5] [--report]",
		Short: "RFM scores, thresholds and rule-based segments per customer, or a segment report",
		Long:  rfmLong,
		Example: "  clv rfm -t examples/cdnow/cdnow_sample.csv --as-of 1998-06-30\n" +
			"  clv rfm -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv --report\n" +
			"  clv rfm -t tx.csv --r-thresholds 30,90,180,365 --f-thresholds 1,3,6,12 --m-thresholds 50,150,400,1000\n" +
			"  clv rfm -t tx.csv --segments examples/rfm-telecom-segments.csv -o rfm.parquet",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(cmd)
			if err != nil {
				return err
			}
			tf.unit = "day" // RFM does not use model time
			if in.summary != "" && tf.asOf != "" {
				return usagef("--as-of cannot be used with --summary: the summary was built at its own as-of date")
			}
			s, _, err := a.summarize(&in, &tf)
			if err != nil {
				return err
			}
			m, err := rfmMetrics(s, cfg)
			if err != nil {
				return err
			}
			// Scoring needs m (which keeps the columns it uses) and the
			// as-of day: release the summary's other columns (dates, the
			// model columns; about 300 MB on 7.5 M customers).
			*s = dataset.Summary{AsOf: s.AsOf, Unit: s.Unit, IDs: s.IDs}
			scores, err := rfm.Score(m, cfg.opt)
			if err != nil {
				return err
			}
			seg, err := rfm.Segment(scores, cfg.rules)
			if err != nil {
				return usagef("--segments %s: %v", cfg.rulesName, err)
			}
			a.rfmNotes(s, scores, cfg)
			if f.report {
				rep, err := rfm.Summarize(m, scores, seg)
				if err != nil {
					return err
				}
				return a.writeResult(rfmReportResult(rep, s.AsOf, cfg))
			}
			r := single("rfm", "RFM scores and segments", rfmTable(m, scores, seg))
			r.Add("as_of", s.AsOf).Add("description", cfg.describe(s.AsOf))
			a.deprecatedColumn(r, "customers", "spend", "monetary")
			return a.writeResult(r)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers|withSummary)
	addAsOf(cmd, &tf)
	fl := cmd.Flags()
	fl.StringVar(&f.method, "method", "ntile", "scoring method: ntile, quantile or thresholds")
	fl.IntVar(&f.bins, "bins", 5, "number of score levels k, 2..9 (with thresholds: one more than the cut points)")
	fl.StringVar(&f.frequency, "frequency", "transactions", "frequency measure: transactions (rows) or days (distinct transaction days)")
	fl.StringVar(&f.monetary, "monetary", "total", "monetary measure: total (sum of amounts) or mean (per transaction)")
	fl.StringVar(&f.rThresholds, "r-thresholds", "", "recency cut points in days, increasing, e.g. 30,90,180,365 (selects --method thresholds)")
	fl.StringVar(&f.fThresholds, "f-thresholds", "", "frequency cut points, increasing, e.g. 1,3,6,12")
	fl.StringVar(&f.mThresholds, "m-thresholds", "", "monetary cut points, increasing, e.g. 50,150,400,1000")
	fl.StringVar(&f.weights, "weights", "1,1,1", "weights of R, F and M in rfm_score (non-negative, not all zero)")
	fl.StringVar(&f.segments, "segments", "", "segment rules `FILE` (CSV: name,r_min,r_max,f_min,f_max,m_min,m_max) instead of the ten defaults")
	fl.BoolVar(&f.report, "report", false, "print the segment summary, the scales and the R×F grid instead of per-customer rows")
	return cmd
}

// config validates the flags before any data is read.
func (f *rfmFlags) config(cmd *cobra.Command) (*rfmConfig, error) {
	cfg := &rfmConfig{}
	method, err := rfm.ParseMethod(f.method)
	if err != nil {
		return nil, usagef("--method: %v", err)
	}
	cuts := [3][]float64{}
	anyCuts := false
	for j, c := range []struct{ flag, val string }{{"--r-thresholds", f.rThresholds}, {"--f-thresholds", f.fThresholds}, {"--m-thresholds", f.mThresholds}} {
		if c.val == "" {
			continue
		}
		anyCuts = true
		v, err := parseFloatList(c.flag, c.val)
		if err != nil {
			return nil, err
		}
		cuts[j] = v
	}
	if anyCuts {
		if cmd.Flags().Changed("method") && method != rfm.Thresholds {
			return nil, usagef("--r/f/m-thresholds are for --method thresholds, not %s", method)
		}
		method = rfm.Thresholds
	}
	bins := f.bins
	if method == rfm.Thresholds {
		for j, name := range []string{"--r-thresholds", "--f-thresholds", "--m-thresholds"} {
			if cuts[j] == nil {
				return nil, usagef("--method thresholds needs %s", name)
			}
		}
		if !cmd.Flags().Changed("bins") {
			bins = len(cuts[0]) + 1
		}
		for j, name := range []string{"--r-thresholds", "--f-thresholds", "--m-thresholds"} {
			if len(cuts[j]) != bins-1 {
				return nil, usagef("%s has %d cut points; %d bins need %d", name, len(cuts[j]), bins, bins-1)
			}
		}
	}
	if bins < 2 || bins > rfm.MaxBins {
		return nil, usagef("--bins must be between 2 and %d, got %d", rfm.MaxBins, bins)
	}
	w, err := parseFloatList("--weights", f.weights)
	if err != nil {
		return nil, err
	}
	if len(w) != 3 {
		return nil, usagef("--weights: want three weights (R, F, M), got %d", len(w))
	}
	cfg.opt = rfm.Options{Method: method, Bins: bins, Weights: rfm.Weights{R: w[0], F: w[1], M: w[2]}}
	if method == rfm.Thresholds {
		cfg.opt.RecencyCuts, cfg.opt.FrequencyCuts, cfg.opt.MonetaryCuts = cuts[0], cuts[1], cuts[2]
	}
	for j, v := range w {
		if v < 0 {
			return nil, usagef("--weights: weight %d is negative (%g)", j+1, v)
		}
	}
	if w[0]+w[1]+w[2] <= 0 {
		return nil, usagef("--weights: at least one weight must be positive")
	}
	switch f.frequency {
	case "transactions", "rows":
	case "days":
		cfg.days = true
	default:
		return nil, usagef("--frequency %q: want transactions or days", f.frequency)
	}
	switch f.monetary {
	case "total", "sum":
	case "mean", "average":
		cfg.mean = true
	default:
		return nil, usagef("--monetary %q: want total or mean", f.monetary)
	}
	if f.segments == "" {
		cfg.rules, cfg.rulesName = rfm.DefaultRules(bins), "default"
	} else {
		file, err := os.Open(f.segments)
		if err != nil {
			return nil, usagef("--segments: %v", err)
		}
		rules, err := rfm.ParseRules(file)
		file.Close()
		if err != nil {
			return nil, usagef("--segments %s: %v", f.segments, err)
		}
		if err := rfm.ValidateRules(rules, bins); err != nil {
			return nil, usagef("--segments %s: %v", f.segments, err)
		}
		cfg.rules, cfg.rulesName = rules, f.segments
	}
	// Check the scoring options too, so a bad combination fails before reading data.
	if err := checkRFMOptions(cfg.opt); err != nil {
		return nil, usagef("%v", err)
	}
	return cfg, nil
}

// checkRFMOptions runs rfm.Score's option checks on a one-customer base.
func checkRFMOptions(opt rfm.Options) error {
	one := &rfm.Metrics{IDs: []string{"x"}, Recency: []int32{0}, Frequency: []int64{1}, Monetary: []float64{0}}
	_, err := rfm.Score(one, opt)
	return err
}

// rfmMetrics takes the RFM metrics out of a per-customer summary.
func rfmMetrics(s *dataset.Summary, cfg *rfmConfig) (*rfm.Metrics, error) {
	n := s.Len()
	need := func(ok bool, col, why string) error {
		if !ok {
			return fmt.Errorf("the summary has no %s column, needed for %s", col, why)
		}
		return nil
	}
	if err := need(s.Recency != nil, "recency_days", "RFM recency"); err != nil {
		return nil, err
	}
	m := &rfm.Metrics{IDs: s.IDs, Recency: s.Recency}
	switch {
	case cfg.days && s.Periods != nil:
		m.Frequency = make([]int64, n)
		for i, v := range s.Periods {
			m.Frequency[i] = int64(v)
		}
	case cfg.days:
		return nil, need(false, "transaction_days", "--frequency days")
	case s.Transactions != nil:
		m.Frequency = s.Transactions
	default:
		return nil, need(false, "transactions", "--frequency transactions")
	}
	// Revenue (total spend) for the report, and the scored monetary measure.
	switch {
	case s.Total != nil:
		m.Revenue = s.Total
	case s.Mean != nil && s.Transactions != nil:
		m.Revenue = make([]float64, n)
		for i := range m.Revenue {
			m.Revenue[i] = s.Mean[i] * float64(s.Transactions[i])
		}
	default:
		return nil, need(false, "total_amount", "monetary")
	}
	m.Monetary = m.Revenue
	if cfg.mean {
		switch {
		case s.Mean != nil:
			m.Monetary = s.Mean
		case s.Transactions != nil:
			m.Monetary = make([]float64, n)
			for i := range m.Monetary {
				if t := s.Transactions[i]; t > 0 {
					m.Monetary[i] = m.Revenue[i] / float64(t)
				}
			}
		default:
			return nil, need(false, "mean_amount", "--monetary mean")
		}
	}
	return m, nil
}

// rfmNotes says on stderr what was scored and with which cut points.
func (a *app) rfmNotes(s *dataset.Summary, sc *rfm.Scores, cfg *rfmConfig) {
	inactive := sc.Len() - sc.Active
	msg := fmt.Sprintf("rfm: %s, %d bins, %d customers as of %s", sc.Method, sc.Bins, sc.Len(), s.AsOf)
	if inactive > 0 {
		msg += fmt.Sprintf(" (%d without transactions: scored 1,1,1)", inactive)
	}
	a.notef("%s", msg)
	for _, d := range []struct {
		name string
		sc   *rfm.Scale
	}{{"recency_days", &sc.Recency}, {"frequency", &sc.Frequency}, {"monetary", &sc.Monetary}} {
		a.notef("rfm: %s cut points %s; customers per score 1..%d: %s", d.name, joinFloats(d.sc.Cuts), sc.Bins, binCounts(d.sc))
		if d.sc.Uneven() && sc.Method != rfm.Ntile {
			a.notef("rfm: note: %s bins are uneven (tied values share a score)", d.name)
		}
	}
	if cfg.rulesName != "default" {
		a.notef("rfm: segments from %s (%d rules)", cfg.rulesName, len(cfg.rules))
	}
}

func joinFloats(v []float64) string {
	b := make([]byte, 0, 8*len(v))
	for j, x := range v {
		if j > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, x, 'g', 10, 64)
	}
	return string(b)
}

func binCounts(s *rfm.Scale) string {
	b := make([]byte, 0, 8*len(s.Bins))
	for j, x := range s.Bins {
		if j > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x.Customers), 10)
	}
	return string(b)
}

// rfmTable lays out the per-customer scores with the stable column names of clv rfm.
// The scores and segments are used as they are (bytes, codes into the
// segment names); the cell codes and the other columns are filled in
// parallel: at millions of customers, filling (and first touching) their
// memory is a visible part of the run.
func rfmTable(m *rfm.Metrics, s *rfm.Scores, g *rfm.Segmentation) *render.Table {
	n := m.Len()
	rec := make([]int64, n)
	cell := make([]uint16, n)
	score := make([]float64, n)
	parts := runtime.GOMAXPROCS(0)
	if n < 1<<16 {
		parts = 1
	}
	// first[p][c] is 1 + the first customer of part p in cell c (0: none).
	first := make([][1000]int, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() {
			seen := &first[p]
			for i := lo; i < hi; i++ {
				rec[i] = int64(m.Recency[i])
				c := s.Cell(i)
				if seen[c] == 0 {
					seen[c] = i + 1
				}
				cell[i] = uint16(c)
				score[i] = s.Weighted(i)
			}
		})
	}
	wg.Wait()
	cells := make([]string, 1000) // the cell names, indexed by Scores.Cell
	for p := range first {
		for c, i := range first[p] {
			if i > 0 && cells[c] == "" {
				cells[c] = s.CellString(i - 1)
			}
		}
	}
	sc := render.Floats("rfm_score", score)
	sc.Digits = 2
	return &render.Table{Name: "customers", Columns: []render.Column{
		render.Strings("customer_id", m.IDs),
		render.Ints("recency_days", rec),
		render.Ints("frequency", m.Frequency),
		render.Floats("spend", m.Monetary),
		render.Uint8s("r_score", s.R),
		render.Uint8s("f_score", s.F),
		render.Uint8s("m_score", s.M),
		render.Codes("rfm_cell", cells, cell),
		sc,
		render.Codes("segment", g.Names, g.Of),
	}}
}
