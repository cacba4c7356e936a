// Package report renders an analysis report — titled sections holding
// paragraphs, key figures, tables and charts — as Markdown (for pipes, mail
// and version control) or as a single self-contained HTML file (inline CSS,
// charts as inline SVG, no scripts, no network access).
//
// A report is a plain value (Report); the writers are pure functions of it,
// so the same report gives byte-identical output. Nothing here computes
// statistics: callers pass tables (render.Table) and charts (SVG bytes, for
// example from LineChart) that they built.
//
// Number formatting: integers and floats get thousands separators in both
// formats; a float column shows Column.Digits decimals (none when negative;
// when unset, 2, or none for a whole number of 1000 or more); a float column
// whose name ends in "share", "_pct", "_rate" or "probability" is shown as a
// percentage with one decimal; a true bool shows as "yes", a false one as
// empty. Markdown omits charts (their data is in the neighbouring tables)
// and says so once per chart.
//
// Language: Options.Lang (a package lang catalog; nil = English) sets every
// word Build writes — section titles, prose, figure labels, captions, chart
// text, and the display names of stages, tiers, actions and quadrants — and
// the report's Lang (the HTML lang attribute; zh-CN adds a Chinese font
// stack), Headings (column headings), Yes and ChartNote. Column names and
// table numbers are the same in every language; prose numbers follow the
// catalog (万/亿 in Chinese). The analysis layer's English model
// descriptions are said again from its settings (ValueDescription,
// RiskDescription).
package report
