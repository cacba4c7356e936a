// Command clv is the customer-lifetime-value toolkit: ingest subscriber and
// transaction exports, then summarise, score, model and report on them.
// Run `clv --help` for the commands.
package main

import (
	"os"
	"runtime/debug"

	"golang.org/x/term"
)

func main() {
	// The working set is a few large columns that live for the whole run, so
	// collecting at 50% growth instead of Go's default 100% lowers peak memory
	// by about a tenth at no measurable cost in time (13.6M-row summarize:
	// 793 -> 712 MB, 1.78 -> 1.73 s). GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	stop := startProfile()
	rc := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, term.IsTerminal(int(os.Stdout.Fd())))
	stop()
	os.Exit(rc)
}
