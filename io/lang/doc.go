// Package lang holds the message catalogs of clv's human-readable output —
// the report's titles, prose, figure labels and column headings, chart
// titles and axis labels, and the display names of lifecycle stages, value
// tiers, quadrants and actions — in English (en.go) and Simplified Chinese
// (zh.go), keyed by stable ids.
//
// A Catalog is a value passed to whoever writes text (io/report, io/chart,
// the commands' table and Markdown labels); there is no global language.
// A nil *Catalog is English. Domain packages keep their English codes
// (stage "decline", tier "gold", action "retention call"); translation
// happens at the boundary, with Label, and only for display: CSV, JSON and
// Parquet keep the English column names and codes.
//
// Messages are fmt templates. Both languages take the same arguments; a
// Chinese template may reorder them with explicit indexes (%[2]s). Unit
// words come from the catalog too: Unit (month, 月) for "per month", Units
// (months, 个月; years, 年) for counts.
//
// Numbers in prose (Count, Money, Number): English groups thousands
// (1,762,300). Chinese writes magnitudes of at least 100,000 in 万 (10⁴)
// with one decimal and of at least 100,000,000 in 亿 (10⁸) with two,
// thousands-grouped (17,623,000 → 1,762.3万; 312,000,000 → 3.12亿), and
// smaller numbers in full; a rounded figure that reaches the next magnitude
// moves up (99,999,999 → 1.00亿). Tables always show the full number in both
// languages, so columns stay exact and comparable.
package lang
