// Command clv is the customer-lifetime-value toolkit: ingest subscriber and
// transaction exports, then summarise, score, model and report on them.
// Run `clv --help` for the commands.
package main

import (
	"os"

	"golang.org/x/term"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, term.IsTerminal(int(os.Stdout.Fd()))))
}
