package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/io/report"
)

func init() { register(newReportCmd) }

const reportLong = `Run the whole pipeline and write one report for a CRM analyst:

  1. summary          key figures and what to do first
  2. data quality     rows read and rejected per file, date range, customers, subscribers
  3. RFM segments     recency/frequency/monetary scores (5 bins, ntile) and named segments
  4. retention        actuarial life table of contract tenure and the shifted-beta-
                      geometric (sBG) fit, with survival and retention-rate charts
  5. repeat buying    BG/NBD fit of repeat transactions (and Gamma-Gamma spend when it
                      exists): P(alive) per lifecycle stage, expected transactions
  6. lifecycle        Markov chain of the lifecycle stages: transition heat map, stage
                      mix forecast, expected periods to churn
  7. value            value tiers, key accounts, VIP levels, revenue concentration with
                      a Lorenz chart, profile by customer type
  8. stage x value    subscribers per lifecycle stage and value tier, and the action
                      for each cell (examples/actions.csv, or --actions FILE)
  9. early warning    the subscribers a retention team should call first
 10. method           rules, formulas and settings used

With --previous FILE a "What changed since DATE" section follows the early warning,
and with a group column (--group-col, or group_id / 集团编号) a "Group customers"
section; --lists DIR writes the campaign lists of the same run (see below).

Future value (clv) is the sBG residual lifetime value by default (--value-model auto),
one sBG fit per --retention-by group (default plan), with the observation start of a
left-truncated export detected (--observed-from auto); see clv segment --help. Every
figure is the one the standalone commands print with the same flags (retention, value
subscribers, fit bgnbd --unit month, segment --summary, markov --states lifecycle).

Give the inputs with -t/-s, or a folder holding transactions.* and subscribers.*
(.csv, .tsv, .csv.gz or .parquet). The format is HTML (self-contained: charts are
inline SVG, no scripts, no network) when -o ends in .html or .htm or with --format
html, and Markdown otherwise (charts are left out of Markdown; their numbers are in
the tables). The report is byte-identical on rerun; --stamp adds the creation time.
Progress goes to stderr, one line per stage. The segment flags (--tiers, --key-share,
--vip, --actions, stage thresholds, ...) are those of clv segment. --lang zh writes
the report in Simplified Chinese (numbers in prose in 万/亿; tables keep full numbers).`

// reportFlags are the options of clv report only.
type reportFlags struct {
	stamp    bool
	rfmBins  int
	forecast int
	interval float64
	campaign campaignFlags
	camp     *campaignRun // prepared from campaign before the data is read
	lang     langFlag
}

func newReportCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	var sf segmentFlags
	var bf baseFlags
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   "report [DIR] [-t TRANSACTIONS [-s SUBSCRIBERS]] -o report.html|report.md",
		Short: "The whole pipeline in one run: data quality, RFM, lifecycle, value, actions, early warning (HTML or Markdown)",
		Long:  reportLong,
		Example: "  clv report examples/telecom -o report.html\n" +
			"  clv report -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv -o report.md",
		Args: cobra.MaximumNArgs(1),
		// The report has its own formats (html, markdown); it replaces the
		// root's check of --format.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if a.global.out.table != "" || a.global.out.outDir != "" {
				return usagef("clv report writes one document: --table and --out-dir are for the table commands")
			}
			if err := a.checkDeprecatedFlags(cmd); err != nil {
				return err
			}
			_, err := a.reportFormat()
			return err
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if in.transactions != "" || in.subscribers != "" {
					return usagef("give either a folder or -t/-s, not both")
				}
				t, s, err := reportInputs(args[0])
				if err != nil {
					return err
				}
				in.transactions, in.subscribers = t, s
			}
			if rf.rfmBins < 2 || rf.rfmBins > 9 {
				return usagef("--rfm-bins %d: want 2 to 9", rf.rfmBins)
			}
			if !(rf.interval >= 0 && rf.interval < 1) {
				return usagef("--interval %v: want a level in [0, 1), e.g. 0.9", rf.interval)
			}
			if rf.forecast < 1 || rf.forecast > 120 {
				return usagef("--forecast %d: want 1 to 120 periods", rf.forecast)
			}
			if _, err := rf.lang.catalog(); err != nil {
				return err
			}
			format, err := a.reportFormat()
			if err != nil {
				return err
			}
			camp, release, err := a.prepareCampaign(&rf.campaign)
			if err != nil {
				return err
			}
			defer release()
			rf.camp = camp
			rep, err := a.buildReport(&in, &tf, &bf, &sf, &rf)
			if err != nil {
				return err
			}
			return a.writeReport(rep, format)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addFitTimeout(cmd, a)
	addPeriod(cmd, &tf)
	addDiscount(cmd, &tf, "--period, on future value")
	addSegmentFlags(cmd, &sf)
	addBaseFlags(cmd, &bf, withObserved|withGroups|withMargin)
	addCampaignFlags(cmd, &rf.campaign)
	cmd.Flags().BoolVar(&rf.stamp, "stamp", false, "add the creation time to the report (it is then no longer byte-identical on rerun)")
	cmd.Flags().IntVar(&rf.rfmBins, "rfm-bins", 5, "RFM score levels (2..9)")
	cmd.Flags().Float64Var(&rf.interval, "interval", 0.9, "level of the interval on the headline future value (parameter uncertainty of the retention fits, seeded); 0 = none")
	cmd.Flags().IntVar(&rf.forecast, "forecast", 12, "--period periods of the lifecycle stage-mix forecast (as clv markov --forecast)")
	addLangFlag(cmd, &rf.lang, "the report (titles, prose, labels, charts; zh also sets lang=\"zh-CN\" and a Chinese font stack in the HTML)")
	return hideInherited(cmd, "table", "out-dir")
}

// reportFormat resolves the report format: --format html|markdown, else the
// -o extension, else markdown.
func (a *app) reportFormat() (string, error) {
	switch strings.ToLower(a.global.format) {
	case "html", "htm":
		return "html", nil
	case "markdown", "md":
		return "markdown", nil
	case "":
	default:
		return "", usagef("--format %q: clv report writes html or markdown", a.global.format)
	}
	return reportFormatFromOutput(a.global.output)
}

// findInputs finds transactions.* and subscribers.* in dir.
func reportInputs(dir string) (tx, subs string, err error) {
	st, err := os.Stat(dir)
	if err != nil {
		return "", "", usagef("report folder: %v", err)
	}
	if !st.IsDir() {
		return "", "", usagef("%s is not a folder (give a folder holding transactions.* and subscribers.*, or use -t/-s)", dir)
	}
	find := func(base string) (string, error) {
		var found []string
		for _, ext := range []string{".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".parquet", ""} {
			p := filepath.Join(dir, base+ext)
			if fi, err := os.Stat(p); err == nil && (ext != "" || fi.IsDir()) {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 0:
			return "", usagef("no %s.csv, .tsv, .gz or .parquet in %s", base, dir)
		case 1:
			return found[0], nil
		}
		return "", usagef("several %s files in %s (%s); pick one with -t/-s", base, dir, strings.Join(found, ", "))
	}
	if tx, err = find("transactions"); err != nil {
		return "", "", err
	}
	// The subscriber export is optional (a non-contractual business has none).
	if subs, err = find("subscribers"); err != nil && !strings.Contains(err.Error(), "no subscribers") {
		return "", "", err
	}
	return tx, subs, nil
}

// writeReport writes the report to -o (atomically) or stdout.
func (a *app) writeReport(rep *report.Report, format string) error {
	write := func(w io.Writer) error {
		if format == "html" {
			return report.WriteHTML(w, rep)
		}
		return report.WriteMarkdown(w, rep)
	}
	if a.global.output == "" || a.global.output == "-" {
		return write(a.out)
	}
	if err := a.writeAtomic(a.global.output, write); err != nil {
		return err
	}
	a.notef("wrote %s", a.global.output)
	return nil
}

// reportClock prints one progress line per report stage on stderr as the
// stage starts, and the time per stage at the end.
type reportClock struct {
	a      *app
	n, of  int
	start  time.Time
	last   time.Time
	timing []string
	names  []string
}

func (c *reportClock) next(what string) {
	c.lap()
	c.n++
	c.names = append(c.names, what)
	c.a.notef("report: [%d/%d] %s", c.n, c.of, what)
}

func (c *reportClock) lap() {
	now := time.Now()
	if c.n > 0 {
		c.timing = append(c.timing, fmt.Sprintf("%s %.2fs", c.names[c.n-1], now.Sub(c.last).Seconds()))
	}
	c.last = now
}

func (c *reportClock) done() {
	c.lap()
	c.a.notef("report: done in %.2fs (%s)", time.Since(c.start).Seconds(), strings.Join(c.timing, "; "))
}

// buildReport loads the data, builds the analysis layer and lets the
// report package arrange its figures.
func (a *app) buildReport(in *inputFlags, tf *timeFlags, bf *baseFlags, sf *segmentFlags, rf *reportFlags) (*report.Report, error) {
	if in.transactions == "" {
		return nil, usagef("missing --transactions FILE (or give a folder)")
	}
	clock := &reportClock{a: a, of: 8, start: time.Now(), last: time.Now()}
	clock.next("reading data")
	l, err := a.load(in, true, false)
	if err != nil {
		return nil, err
	}
	base, err := a.segmentBase(in, tf, bf, sf, l)
	if err != nil {
		return nil, err
	}
	cat, err := rf.lang.catalog()
	if err != nil {
		return nil, err
	}
	footer := cat.T("report.footer")
	if rf.stamp {
		footer = cat.T("report.footer.stamp", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	}
	rep, err := report.Build(base, report.Options{
		Transactions: in.transactions, Subscribers: in.subscribers, Stats: l.stats, Findings: l.sanity.Findings(),
		RFMBins: rf.rfmBins, Forecast: rf.forecast, Top: sf.top, ProfileBy: sf.profileBy(), Interval: rf.interval,
		Footer: footer, Previous: rf.camp.previous, PreviousName: rf.campaign.previous, Groups: rf.camp.groups,
		Lang: cat,
		Stage: func(s string) {
			clock.next(s)
			if s == "retention, BG/NBD and Markov lifecycle" {
				if segs, err := base.Segments(); err == nil {
					a.notef("value: %s", segs.Description)
				}
			}
		},
	})
	if err != nil {
		return nil, layerError(err)
	}
	if err := a.writeLists(rf.camp, base, l, in.subscribers); err != nil {
		return nil, err
	}
	clock.done()
	return rep, nil
}
