package main

import (
	"encoding/json"
	"testing"
)

// resultJSON is what --format json prints: the metadata and every table.
type resultJSON struct {
	Metadata map[string]any              `json:"metadata"`
	Tables   map[string][]map[string]any `json:"tables"`
}

// parseResult parses a command's JSON output.
func parseResult(t *testing.T, out string) *resultJSON {
	t.Helper()
	var r resultJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON output does not parse: %v\n%.500s", err, out)
	}
	return &r
}

// rows returns table name, failing the test when it is missing.
func (r *resultJSON) rows(t *testing.T, name string) []map[string]any {
	t.Helper()
	rows, ok := r.Tables[name]
	if !ok {
		t.Fatalf("no table %q in the JSON result (tables: %v)", name, keysOf(r.Tables))
	}
	return rows
}

// str returns metadata key as a string.
func (r *resultJSON) str(t *testing.T, key string) string {
	t.Helper()
	v, ok := r.Metadata[key].(string)
	if !ok {
		t.Fatalf("metadata %q is %v, not a string", key, r.Metadata[key])
	}
	return v
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// decodeTable decodes table name of a command's JSON output into dst (a
// pointer to a slice of structs with json tags naming the columns).
func decodeTable(t *testing.T, out, name string, dst any) {
	t.Helper()
	var r struct {
		Tables map[string]json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON output does not parse: %v\n%.500s", err, out)
	}
	raw, ok := r.Tables[name]
	if !ok {
		t.Fatalf("no table %q in the JSON result (tables: %v)", name, keysOf(r.Tables))
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("table %s: %v", name, err)
	}
}

// decodeMeta decodes the metadata of a command's JSON output into dst.
func decodeMeta(t *testing.T, out string, dst any) {
	t.Helper()
	var r struct {
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON output does not parse: %v\n%.500s", err, out)
	}
	if err := json.Unmarshal(r.Metadata, dst); err != nil {
		t.Fatalf("metadata: %v", err)
	}
}
