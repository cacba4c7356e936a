// Package duckcheck is a test-only module proving that examples/sql/summary.sql,
// run by DuckDB, builds the same per-customer summary as `clv summarize`, and
// that kpi.sql, cohort.sql and panel.sql build the same tables as `clv kpi`,
// `clv cohort` and `clv panel` (several periods, groups, as-of dates and
// observation starts on examples/telecom, and examples/cdnow for the panel:
// keys and counts exactly, amounts and ratios within a relative 1e-9). The
// Spark SQL and HiveQL versions of every template run in DuckDB after their
// dialect differences are translated.
//
// It is a separate Go module so that the main module does not depend on DuckDB
// (a cgo library). The test builds the clv binary from the enclosing module
// with the go command, runs `clv summarize --format csv` and the SQL on the
// same inputs (examples/cdnow and examples/telecom, with several --as-of and
// --unit settings), and compares the results customer by customer: dates and
// counts exactly, amounts and times with a relative tolerance of 1e-9 (the two
// engines add the same numbers in different orders).
//
// Set CLV_BIN to test an already built clv binary instead. Run it with
//
//	cd examples/sql/duckcheck && go test ./...
package duckcheck
