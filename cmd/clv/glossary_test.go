package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// glossaryNames returns the names the README glossary defines: every
// backticked name in the first column of its tables (`--flag`, `column`).
func glossaryNames(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Glossary")
	if start < 0 {
		t.Fatal("README has no ## Glossary section")
	}
	text = text[start+1:]
	if end := strings.Index(text[3:], "\n## "); end >= 0 {
		text = text[:end+3]
	}
	names := map[string]bool{}
	tick := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		first := strings.SplitN(line[2:], " | ", 2)[0]
		for _, m := range tick.FindAllStringSubmatch(first, -1) {
			names[m[1]] = true
		}
	}
	return names
}

// commandFlags returns every flag of every command (hidden deprecated
// aliases included) as --name, with the commands that have it.
func commandFlags() map[string][]string {
	a := &app{in: strings.NewReader(""), out: &strings.Builder{}, errOut: &strings.Builder{}}
	root := newRootCmd(a)
	out := map[string][]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		add := func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			out["--"+f.Name] = append(out["--"+f.Name], c.CommandPath())
		}
		c.LocalFlags().VisitAll(add)
		c.InheritedFlags().VisitAll(add)
		for _, s := range c.Commands() {
			if s.Name() == "completion" || s.Name() == "help" {
				continue
			}
			walk(s)
		}
	}
	walk(root)
	return out
}

// TestGlossary: every flag of every command, and every output column and
// metadata key of every result command (run on the example data), has an
// entry in the README glossary; so do the columns clv generate writes.
func TestGlossary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command")
	}
	have := glossaryNames(t)
	need := map[string][]string{}
	for name, cmds := range commandFlags() {
		need[name] = cmds
	}
	base := contractBase(t)
	for _, c := range contractRuns {
		r := runCLI(t, "", append(contractArgs(base, c.args), "--format", "json", "-q")...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, r.code, r.stderr)
		}
		res := parseResult(t, r.stdout)
		for k := range res.Metadata {
			if _, ok := res.Metadata[strings.TrimSuffix(k, "_unit")]; ok && strings.HasSuffix(k, "_unit") {
				continue // the unit of key X is X_unit, glossed with X
			}
			need[k] = append(need[k], c.name+" metadata")
		}
		for table, rows := range res.Tables {
			if len(rows) == 0 {
				continue
			}
			for col := range rows[0] {
				need[col] = append(need[col], c.name+"."+table)
			}
		}
	}
	// The campaign outputs of segment: changes and groups tables, the lists folder.
	camp := t.TempDir()
	seg := []string{"segment", "-t", telecomTx, "-s", "testdata/lists/subscribers_groups.csv", "--risk-model", "heuristic", "-q"}
	prev := filepath.Join(camp, "prev.csv")
	if r := runCLI(t, "", append(seg, "-o", prev)...); r.code != 0 {
		t.Fatalf("segment: %s", r.stderr)
	}
	lists := filepath.Join(camp, "lists")
	r := runCLI(t, "", append(seg, "--previous", prev, "--lists", lists, "--format", "json")...)
	if r.code != 0 {
		t.Fatalf("segment --previous --lists: %s", r.stderr)
	}
	for table, rows := range parseResult(t, r.stdout).Tables {
		if len(rows) > 0 {
			for col := range rows[0] {
				need[col] = append(need[col], "segment campaign."+table)
			}
		}
	}
	files, err := filepath.Glob(filepath.Join(lists, "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no lists in %s: %v", lists, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(b), "\n")
		for _, col := range strings.Split(head, ",") {
			need[col] = append(need[col], "segment --lists "+filepath.Base(f))
		}
	}
	dir := t.TempDir()
	if r := runCLI(t, "", "generate", "--subscriber-count", "50", "--out", dir, "-q"); r.code != 0 {
		t.Fatalf("generate: %s", r.stderr)
	}
	for _, f := range []string{"subscribers.csv", "transactions.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(b), "\n")
		for _, col := range strings.Split(head, ",") {
			need[col] = append(need[col], "generate "+f)
		}
	}
	var missing []string
	for name, where := range need {
		if !have[name] {
			sort.Strings(where)
			missing = append(missing, name+" ("+strings.Join(uniq(where), ", ")+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d names are not in the README glossary:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

func uniq(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	if len(out) > 4 {
		out = append(out[:4], "...")
	}
	return out
}
