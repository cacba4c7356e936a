// Package chart draws heat maps of matrices, for example a Markov transition
// matrix, as SVG or PNG with gonum/plot (clv markov --chart and the report's
// transition chart). The line and bar charts of reports are package report's
// LineChart and BarChart. Charts are pure functions of their input: the same
// data gives a byte-identical file.
package chart
