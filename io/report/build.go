package report

import (
	"fmt"
	"path/filepath"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/lang"
	"github.com/clvkit/clv/io/read"
	"github.com/clvkit/clv/segment"
)

// Options are the settings of Build that are not analysis options.
type Options struct {
	// Transactions and Subscribers are the input file names (for the title
	// and the data-quality section); Stats the reader statistics per file
	// in the order subscribers, transactions.
	Transactions, Subscribers string
	Stats                     []read.Stats
	// Findings are the doubtful-data warnings of the inputs (dataset.Check),
	// shown, counted, in the data-quality section.
	Findings []dataset.Finding
	// RFMBins is the number of RFM score levels.
	RFMBins int
	// Forecast is the number of periods of the lifecycle stage-mix forecast.
	Forecast int
	// Top is the length of the early-warning list shown.
	Top int
	// ProfileBy are the attribute columns to profile (nil: plan, region,
	// customer_type where present).
	ProfileBy []string
	// Stage reports progress ("retention, BG/NBD and Markov lifecycle"); may be nil.
	Stage func(string)
	// Interval is the level of the interval on the headline future value
	// (0: none).
	Interval float64
	// Footer is the closing line.
	Footer string
	// Previous, when set, is a previous run's per-subscriber output: the
	// report gets a "What changed since" section (Base.Changes);
	// PreviousName is its file name.
	Previous     *segment.Snapshot
	PreviousName string
	// Groups, when set, adds the group-customer section (Base.Groups) if a
	// group column is named or found.
	Groups *clv.GroupOptions
	// Lang is the language of the report's text (nil: English). Numbers in
	// tables are the same in every language; prose follows the catalog's
	// number rule (万/亿 in Chinese).
	Lang *lang.Catalog
}

// builder holds what the sections share: the analysis layer and the
// segment views, computed once.
type builder struct {
	base  *clv.Base
	segs  *clv.Segments
	v     *clv.Views
	opt   Options
	l     *lang.Catalog
	panel *dataset.Panel
	// numbers of the sections, for cross-references.
	number map[string]int
}

// Section title keys (package lang), also the keys of cross-references.
const (
	titleSummary   = "title.summary"
	titleQuality   = "title.quality"
	titleKPI       = "title.kpi"
	titleRFM       = "title.rfm"
	titleRetention = "title.retention"
	titleRepeat    = "title.repeat"
	titleLifecycle = "title.lifecycle"
	titleValue     = "title.value"
	titleMatrix    = "title.matrix"
	titleWarning   = "title.warning"
	titleBacktest  = "title.backtest"
	titleMethod    = "title.method"
)

var sectionOrder = []string{titleSummary, titleQuality, titleKPI, titleRFM, titleRetention, titleRepeat, titleLifecycle, titleValue, titleMatrix, titleWarning, titleBacktest, titleMethod}

// ref returns "section N" for a section title key.
func (b *builder) ref(title string) string { return b.l.T("ref.section", b.number[title]) }

// section starts a section with the title of a title key.
func (b *builder) section(key string) Section { return Section{Title: b.l.T(key)} }

// Build lays out the customer-value report of a base: every figure comes
// from the analysis layer (the same functions the standalone commands call);
// Build only arranges them.
func Build(base *clv.Base, opt Options) (*Report, error) {
	stage := opt.Stage
	if stage == nil {
		stage = func(string) {}
	}
	if opt.RFMBins == 0 {
		opt.RFMBins = 5
	}
	if opt.Forecast == 0 {
		opt.Forecast = 12
	}
	stage("summary, panel and segments")
	segs, err := base.Segments()
	if err != nil {
		return nil, err
	}
	by, err := segs.ProfileColumns(opt.ProfileBy)
	if err != nil {
		return nil, err
	}
	panel, err := base.Panel()
	if err != nil {
		return nil, err
	}
	b := &builder{base: base, segs: segs, v: segs.Views(by, opt.Top), opt: opt, l: opt.Lang, panel: panel, number: map[string]int{}}
	extra, err := b.campaignSections()
	if err != nil {
		return nil, err
	}
	// The section order: the title keys, with the optional campaign
	// sections (titled directly) after the early warning.
	order := withSections(sectionOrder, titleWarning, extra)
	for i, t := range order {
		b.number[t] = i + 1
	}
	r := segs.Result
	rep := &Report{
		Title:    b.l.T("report.title"),
		Subtitle: b.l.T("report.subtitle", inputNames(opt), r.AsOf, b.count(r.Len()), b.l.Unit(r.Period.String())),
		Lang:     b.l.HTMLLang(),
	}
	if b.l.Chinese() {
		rep.Yes, rep.ChartNote = b.l.T("report.yes"), b.l.T("report.chartnote", "%s")
	}
	stage("data quality")
	quality := b.qualitySection()
	stage("operating view")
	kpiSec := b.kpiSection()
	stage("RFM segments")
	rfmSec, err := b.rfmSection(opt.RFMBins)
	if err != nil {
		return nil, err
	}
	stage("retention, BG/NBD and Markov lifecycle")
	retSec := b.retentionSection()
	repSec := b.repeatSection()
	lifeSec, lifeNote := b.lifecycleSection(opt.Forecast)
	stage("value, concentration and actions")
	valSec, err := b.valueSection(b.v)
	if err != nil {
		return nil, err
	}
	stage("early warning and method")
	matSec := b.matrixSection(b.v)
	matSec.Blocks = append(matSec.Blocks, b.actionBlocks()...)
	rep.Sections = []Section{
		b.overviewSection(b.v, opt.Top), quality, kpiSec, rfmSec, retSec, repSec, lifeSec, valSec,
		matSec, b.warningSection(b.v, opt.Top), b.backtestSection(), b.methodSection(lifeNote),
	}
	rep.Sections = insertSections(rep.Sections, b.l.T(titleWarning), extra)
	for i, s := range rep.Sections {
		want := order[i]
		if b.l.Has(want) {
			want = b.l.T(want)
		}
		if s.Title != want {
			return nil, fmt.Errorf("report: section %d is %q, want %q", i+1, s.Title, want)
		}
	}
	if b.l.Chinese() {
		rep.Headings = headings(rep, b.l)
	}
	rep.Footer = opt.Footer
	return rep, nil
}

func inputNames(opt Options) string {
	name := func(p string) string {
		if p == "-" {
			return opt.Lang.T("report.stdin")
		}
		return filepath.Base(p)
	}
	if opt.Subscribers == "" {
		return name(opt.Transactions)
	}
	return name(opt.Transactions) + " + " + name(opt.Subscribers)
}
