package read

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/clvkit/clv/markov"
)

// Matrix reads a Markov transition matrix from CSV: a header row of state
// names (with or without a corner cell) and one row of probabilities per
// state, optionally led by the state's name in the header's order; blank
// lines and lines starting with # are skipped. name is used in messages
// (FILE:LINE). The chain is validated by markov.New (rows sum to 1).
func Matrix(r io.Reader, name string) (*markov.Chain, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	var rows [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		empty := true
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if rec[i] != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: want a header row of state names and one row per state", name)
	}
	header := rows[0]
	n := len(rows) - 1
	// Row labels are there when the first row has one field more than there
	// are rows; the header then has a corner cell or not.
	labelled := len(rows[1]) == n+1
	states := header
	if labelled && len(header) == n+1 {
		states = header[1:]
	}
	if len(states) != n {
		return nil, fmt.Errorf("%s:%d: the header names %d states but there are %d rows", name, lines[0], len(states), n)
	}
	P := make([][]float64, n)
	for i, rec := range rows[1:] {
		line := lines[i+1]
		if labelled {
			if rec[0] != states[i] {
				return nil, fmt.Errorf("%s:%d: row %q is not in the header's order (want %q)", name, line, rec[0], states[i])
			}
			rec = rec[1:]
		}
		if len(rec) != n {
			return nil, fmt.Errorf("%s:%d: %d probabilities, want %d", name, line, len(rec), n)
		}
		P[i] = make([]float64, n)
		for j, s := range rec {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: column %q: cannot parse %q as a number", name, line, states[j], s)
			}
			P[i][j] = v
		}
	}
	c, err := markov.New(states, P)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}
