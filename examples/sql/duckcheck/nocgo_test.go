//go:build !cgo

package duckcheck

import "testing"

// TestSummarySQLMatchesClv needs DuckDB, a cgo library: without a C compiler
// (or with CGO_ENABLED=0) the check cannot run, and says so.
func TestSummarySQLMatchesClv(t *testing.T) {
	t.Skip("DuckDB needs cgo: install a C compiler (gcc) and run with CGO_ENABLED=1")
}

// TestKPISQLMatchesClv, TestCohortSQLMatchesClv and TestPanelSQLMatchesClv
// need DuckDB too.
func TestKPISQLMatchesClv(t *testing.T) {
	t.Skip("DuckDB needs cgo: install a C compiler (gcc) and run with CGO_ENABLED=1")
}

func TestCohortSQLMatchesClv(t *testing.T) {
	t.Skip("DuckDB needs cgo: install a C compiler (gcc) and run with CGO_ENABLED=1")
}

func TestPanelSQLMatchesClv(t *testing.T) {
	t.Skip("DuckDB needs cgo: install a C compiler (gcc) and run with CGO_ENABLED=1")
}
