package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
)

func init() {
	register(newFitCmd)
}

const fitLong = `Fit a probabilistic repeat-purchase model by maximum likelihood.

Models:
  bgnbd    BG/NBD (Fader, Hardie & Lee 2005): Poisson purchases, Gamma(r, alpha) rates,
           dropout after each purchase with Beta(a, b) probability
  pnbd     Pareto/NBD (Schmittlein, Morrison & Colombo 1987): exponential lifetimes
           with Gamma(s, beta) rates
  mbgnbd   MBG/NBD (Batislam et al. 2007): BG/NBD that may also drop out right
           after the first purchase
  bgbb     BG/BB (Fader, Hardie & Shang 2010) for discrete opportunities: one
           opportunity per --unit period after the first purchase
  gg       Gamma-Gamma spend per transaction (customers with x > 0 and monetary > 0)

The data are the per-customer x (repeat purchase days), t_x (last purchase) and T
(age) of 'clv summarize', in --unit (default week; month = 365.25/12 days), either
built from --transactions at --as-of or read from --summary. Identical rows are
collapsed and weighted, time is rescaled so the largest T is 1, log-parameters are
optimised with BFGS from several deterministic starting points, and standard errors
come from the inverse Hessian. alpha and beta are in --unit; gamma (gg) in money.

For bgbb, x counts the --unit periods after the first purchase's period that have a
purchase, t_x is the last of them and n the number of complete periods observed;
a --summary for bgbb must already hold whole numbers.

Tables: parameters (the main one: parameter, estimate, se; se is empty when the
Hessian gives no standard errors) and fit (one row: log_likelihood, customers,
unique_rows, excluded, iterations, starting_points, converged, optimizer_status); model, unit,
as_of and penalizer are metadata. --format json holds both tables and the metadata.
--save FILE writes the model file 'clv predict --model FILE' reads.
A fit that does not converge exits with code 3 and says why.`

// modelFlags are the options shared by fit and predict.
type modelFlags struct {
	penalizer float64
}

func addModelFlags(cmd *cobra.Command, f *modelFlags) {
	cmd.Flags().Float64Var(&f.penalizer, "penalizer", 0, "L2 penalty on the parameters (as estimated, after time rescaling); 0 = plain maximum likelihood")
}

func newFitCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var mf modelFlags
	var save string
	cmd := &cobra.Command{
		Use:   "fit bgnbd|pnbd|mbgnbd|bgbb|gg (-t TRANSACTIONS --as-of DATE | --summary FILE) [--unit week]",
		Short: "Fit BG/NBD, Pareto/NBD, MBG/NBD, BG/BB or Gamma-Gamma by maximum likelihood",
		Long:  fitLong,
		Example: "  clv fit bgnbd -t examples/cdnow/cdnow_sample.csv --as-of 1997-09-30 --unit week\n" +
			"  clv fit pnbd --summary summary.csv --format json --save pnbd.json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			model := args[0]
			if btyd.ParamNames(model) == nil {
				return usagef("unknown model %q: want %s", model, strings.Join(btyd.Models, ", "))
			}
			if mf.penalizer < 0 || math.IsNaN(mf.penalizer) {
				return usagef("--penalizer must be 0 or more, got %v", mf.penalizer)
			}
			if _, err := a.outputFormat(); err != nil {
				return err
			}
			mi, err := a.modelInput(model, &in, &tf)
			if err != nil {
				return err
			}
			res, err := fitModel(model, mi, a.btydOptions(mf.penalizer))
			if err != nil {
				return err
			}
			rep := btyd.NewSaved(res, mi.unit.String(), mi.asOf.String())
			if save != "" {
				if err := a.writeModelFile(save, rep); err != nil {
					return err
				}
			}
			if !res.HasSE {
				a.notef("note: the Hessian is not positive definite at the estimate; standard errors are not reported")
			}
			return a.writeResult(fitResult(rep))
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSummary)
	addAsOf(cmd, &tf)
	addUnit(cmd, &tf, "week")
	addModelFlags(cmd, &mf)
	addFitTimeout(cmd, a)
	cmd.Flags().StringVar(&save, "save", "", "write the fitted model as JSON to `FILE` (for clv predict --model)")
	return cmd
}

// modelInput is the per-customer model data of the analysis layer (the
// customer selection every command shares) and the loaded data.
type modelInput struct {
	base *clv.Base
	in   *clv.RepeatInput
	sum  *dataset.Summary
	l    *loaded
	rows []int32
	// x, tx, T in the unit (opportunities for bgbb); m is the mean repeat spend.
	x, tx, T, m []float64
	unit        dataset.Unit
	asOf        dataset.Day
}

// modelInput builds the model data for model from the input flags.
func (a *app) modelInput(model string, in *inputFlags, tf *timeFlags) (*modelInput, error) {
	if in.summary == "" && in.transactions == "" {
		return nil, usagef("missing input: give --transactions FILE (with --as-of) or --summary FILE")
	}
	unit, err := tf.unitValue()
	if err != nil {
		return nil, err
	}
	o, err := a.baseOptions(tf, nil)
	if err != nil {
		return nil, err
	}
	var l *loaded
	if in.summary != "" {
		if in.transactions != "" {
			return nil, usagef("give either --summary or --transactions, not both")
		}
		if l, err = a.loadSummary(in); err != nil {
			return nil, err
		}
		if unit, err = a.summaryUnit(in, tf, l.summary, unit); err != nil {
			return nil, err
		}
	} else if l, err = a.load(in, true, false); err != nil {
		return nil, err
	}
	base, err := a.newBase(l, o)
	if err != nil {
		return nil, err
	}
	ri, err := base.RepeatInput(model, unit)
	if err != nil {
		return nil, layerError(err)
	}
	return &modelInput{base: base, in: ri, sum: ri.Summary, l: l, rows: ri.Rows, x: ri.X, tx: ri.Tx, T: ri.T, m: ri.M, unit: unit, asOf: ri.AsOf}, nil
}

// fitModel fits model to the input (once per run, in the analysis layer).
func fitModel(model string, mi *modelInput, opt btyd.Options) (*btyd.Result, error) {
	res, err := mi.base.Repeat(model, mi.unit, opt)
	return res, layerError(err)
}

var modelTitles = map[string]string{
	"bgnbd": "BG/NBD", "pnbd": "Pareto/NBD", "mbgnbd": "MBG/NBD", "bgbb": "BG/BB", "gg": "Gamma-Gamma",
}

// fitResult lays out a fit: the parameters (main; se empty where the
// Hessian gives no standard errors) and the fit statistics as a one-row
// table; the model, unit and as-of date are metadata.
func fitResult(r *btyd.Saved) *render.Result {
	n := len(r.Params.Values)
	se := make([]float64, n)
	null := make([]bool, n)
	for i := range se {
		if r.SE != nil {
			se[i] = r.SE.Values[i]
		} else {
			null[i] = true
		}
	}
	unitNote := "time unit: " + r.Unit
	paramUnit := r.Unit
	if r.Model == "bgbb" {
		unitNote = "opportunity: one " + r.Unit
	} else if r.Model == "gg" {
		unitNote, paramUnit = "gamma in money units", "money"
	}
	ptab := &render.Table{Name: "parameters", Title: "Parameters", Columns: []render.Column{
		render.Strings("parameter", r.Params.Names),
		render.Floats("estimate", r.Params.Values),
		render.Floats("se", se).WithNull(null),
	}}
	one := func(v int64) []int64 { return []int64{v} }
	stats := &render.Table{Name: "fit", Title: "Fit", Columns: []render.Column{
		render.Floats("log_likelihood", []float64{r.LogLikelihood}),
		render.Ints("customers", one(r.Customers)),
		render.Ints("unique_rows", one(int64(r.UniqueRows))),
		render.Ints("excluded", one(int64(r.Excluded))),
		render.Ints("iterations", one(int64(r.Iterations))),
		render.Ints("starting_points", one(int64(r.Starts))),
		render.Bools("converged", []bool{r.Converged}),
		render.Strings("optimizer_status", []string{r.Status}),
	}}
	res := &render.Result{Name: "fit", Title: fmt.Sprintf("%s fit (%s)", modelTitles[r.Model], unitNote), Main: "parameters",
		Tables: []*render.Table{ptab, stats}}
	asOf := any(r.AsOf)
	if r.AsOf == "" {
		asOf = nil
	}
	res.Add("model", r.Model).Add("unit", r.Unit).Add("as_of", asOf).Add("penalizer", r.Penalizer).
		Add("scale_unit", paramUnit)
	return res
}

// writeModelFile saves a fitted model as JSON atomically.
func (a *app) writeModelFile(name string, r *btyd.Saved) error {
	return a.writeAtomic(name, func(w io.Writer) error { return render.WriteJSON(w, r) })
}

// readModelFile loads a model saved by fit --save.
func readModelFile(name string) (*btyd.Saved, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := btyd.ReadSaved(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}
