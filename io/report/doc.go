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
// formats; a float column shows Column.Digits decimals (2 when unset, none when negative); a
// column whose name ends in "_share" or "_pct" (or "share", "rate") is shown
// as a percentage with one decimal. Markdown omits charts (their data is in
// the neighbouring tables) and says so once per chart.
package report
