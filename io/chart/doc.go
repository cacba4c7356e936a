// Package chart draws the charts of clv's reports as SVG or PNG files with
// gonum/plot: line charts of curves over time and heat maps of matrices (for
// example a Markov transition matrix). Charts are pure functions of their
// input: the same data gives a byte-identical file.
package chart
