// Package chart draws every chart of clv with gonum/plot, as SVG or PNG: heat
// maps of matrices (a Markov transition matrix: clv markov --chart and the
// report; a cohort matrix with its own column names: Cohort, clv cohort
// --chart), line and bar charts (LineChart, BarChart: the report's survival,
// Lorenz, forecast and stage charts, and KPITrend, the base-movement trend of
// clv kpi), and the two-panel holdout chart of clv predict --chart. Charts are
// pure functions of their input: the same data gives a byte-identical file.
//
// KPITrendIn, CohortIn and ValueCurvesIn take their words from a package lang
// catalog (nil: English). Chinese text is padded for gonum/plot's Latin font
// metrics so that legends, titles and tick labels are placed as a viewer
// draws them (text.go).
package chart
