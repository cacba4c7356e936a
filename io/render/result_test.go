package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clvkit/clv/clv/dataset"
)

// sampleResult has a main table with a null float and a null date, and a
// second table with a boolean.
func sampleResult() *Result {
	r := &Result{Name: "fit", Title: "Test fit", Main: "customers"}
	r.Add("as_of", dataset.Civil(2024, 2, 29)).AddUnit("horizon", 52.0, "week").Add("converged", true).
		Add("customers", 2).Add("note", nil).Add("log_likelihood", -1234.56789012345)
	r.AddTable(&Table{Name: "parameters", Title: "Parameters", Columns: []Column{
		Strings("parameter", []string{"r", "alpha"}),
		Floats("estimate", []float64{0.1, 1.0 / 3}),
		Floats("se", []float64{0, math.NaN()}).WithNull([]bool{true, true}),
		Bools("fixed", []bool{false, true}),
	}})
	r.AddTable(&Table{Name: "customers", Title: "Customers", Columns: []Column{
		Strings("customer_id", []string{"a", "b,\"c\""}),
		Ints("n", []int64{1, -2}),
		Floats("v", []float64{0.1, 1.0 / 3}).WithNull([]bool{false, true}).WithUnit("week"),
		Dates("d", []dataset.Day{dataset.Civil(2024, 2, 29), dataset.NoDay}),
	}})
	return r
}

func write(t *testing.T, f Format, r *Result, table string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteResult(&b, f, r, table); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestResultCSVIsOnePlainTable(t *testing.T) {
	got := string(write(t, FormatCSV, sampleResult(), ""))
	// Written by hand from sampleResult: the main table only, header first,
	// a null float and a NoDay date as empty cells, full precision.
	want := "customer_id,n,v,d\na,1,0.1,2024-02-29\n\"b,\"\"c\"\"\",-2,,\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	got = string(write(t, FormatCSV, sampleResult(), "parameters"))
	want = "parameter,estimate,se,fixed\nr,0.1,,false\nalpha,0.3333333333333333,,true\n"
	if got != want {
		t.Fatalf("--table parameters: got\n%s\nwant\n%s", got, want)
	}
	if err := WriteResult(&bytes.Buffer{}, FormatCSV, sampleResult(), "nope"); err == nil || !strings.Contains(err.Error(), "customers") {
		t.Fatalf("unknown table: %v", err)
	}
}

func TestResultJSONIsComplete(t *testing.T) {
	var doc struct {
		Metadata map[string]any              `json:"metadata"`
		Tables   map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(write(t, FormatJSON, sampleResult(), ""), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Metadata
	if m["command"] != "fit" || m["as_of"] != "2024-02-29" || m["horizon"] != 52.0 || m["horizon_unit"] != "week" ||
		m["converged"] != true || m["customers"] != 2.0 || m["log_likelihood"] != -1234.56789012345 {
		t.Errorf("metadata %v", m)
	}
	if u, ok := m["column_units"].(map[string]any); !ok || u["customers.v"] != "week" {
		t.Errorf("column_units %v", m["column_units"])
	}
	if v, ok := m["note"]; !ok || v != nil {
		t.Errorf("a nil metadata value must be present as null, got %v, %v", v, ok)
	}
	if len(doc.Tables) != 2 || len(doc.Tables["parameters"]) != 2 || len(doc.Tables["customers"]) != 2 {
		t.Fatalf("tables %v", doc.Tables)
	}
	row := doc.Tables["customers"][1]
	if v, ok := row["v"]; !ok || v != nil {
		t.Errorf("null float: %v %v", v, ok)
	}
	if v, ok := row["d"]; !ok || v != nil {
		t.Errorf("null date: %v %v", v, ok)
	}
	if doc.Tables["parameters"][1]["fixed"] != true {
		t.Errorf("bool: %v", doc.Tables["parameters"][1])
	}
}

func TestResultHumanFormatsShowEverything(t *testing.T) {
	for _, f := range []Format{FormatMarkdown, FormatTable} {
		s := string(write(t, f, sampleResult(), ""))
		for _, want := range []string{"Test fit", "as_of: 2024-02-29", "horizon: 52 week", "converged: true",
			"log_likelihood: -1234.5679", "note: (none)", "Parameters [parameters]", "Customers [customers]", "0.3333"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: no %q in\n%s", f, want, s)
			}
		}
	}
}

func TestResultParquetRoundTrip(t *testing.T) {
	r := sampleResult()
	for _, name := range r.Names() {
		tab, kv, err := ReadParquet(write(t, FormatParquet, r, name))
		if err != nil {
			t.Fatal(err)
		}
		if kv["clv.table"] != name || kv["as_of"] != "2024-02-29" || kv["horizon_unit"] != "week" || kv["log_likelihood"] != "-1234.56789012345" {
			t.Errorf("key-value metadata %v", kv)
		}
		orig, _ := r.Table(name)
		// Same rows and types as the CSV of the same table.
		var a, b bytes.Buffer
		if err := writeCSV(&a, orig); err != nil {
			t.Fatal(err)
		}
		if err := writeCSV(&b, tab); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s: parquet read back as\n%s\nCSV\n%s", name, b.String(), a.String())
		}
		for i := range orig.Columns {
			if orig.Columns[i].Kind != tab.Columns[i].Kind {
				t.Errorf("%s.%s: kind %v read back as %v", name, orig.Columns[i].Name, orig.Columns[i].Kind, tab.Columns[i].Kind)
			}
		}
	}
}

func TestResultValidate(t *testing.T) {
	bad := []func(r *Result){
		func(r *Result) { r.Tables[1].Name = "parameters" },
		func(r *Result) { r.Tables[0].Name = "Bad Name" },
		func(r *Result) { r.Main = "missing" },
		func(r *Result) { r.Add("as_of", "again") },
		func(r *Result) { r.Add("x", math.Inf(1)) },
		func(r *Result) { r.Add("x", struct{}{}) },
		func(r *Result) { r.Tables[1].Columns[2].Floats[0] = math.NaN() },
	}
	for i, f := range bad {
		r := sampleResult()
		f(r)
		if err := WriteResult(&bytes.Buffer{}, FormatJSON, r, ""); err == nil {
			t.Errorf("case %d: accepted", i)
		}
	}
}

func TestWriteResultDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	if err := WriteResultDir(dir, FormatCSV, sampleResult(), nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"customers.csv", "parameters.csv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) != 3 {
			t.Fatalf("%s: %d rows, %v", name, len(rows), err)
		}
	}
	var meta map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "metadata.json"))
	if err := json.Unmarshal(b, &meta); err != nil || meta["as_of"] != "2024-02-29" {
		t.Fatalf("metadata.json %s: %v", b, err)
	}
	// A failing result leaves the earlier folder untouched and no temporary folder.
	r := sampleResult()
	r.Tables[0].Columns[1].Floats[0] = math.Inf(1)
	if err := WriteResultDir(dir, FormatParquet, r, nil); err == nil {
		t.Fatal("Inf accepted")
	}
	if ents, _ := os.ReadDir(root); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Fatalf("earlier result changed: %v", ents)
	}
	// Replacing an earlier result with Parquet files: the CSV files go.
	if err := WriteResultDir(dir, FormatParquet, sampleResult(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "customers.parquet")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "customers.csv")); err == nil {
		t.Fatal("the earlier CSV file is still there")
	}
	if ents, _ := os.ReadDir(root); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
	// A folder with other files is refused.
	other := filepath.Join(root, "other")
	os.Mkdir(other, 0o777)
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("x"), 0o644)
	if err := WriteResultDir(other, FormatCSV, sampleResult(), nil); err == nil {
		t.Fatal("a folder with other files was replaced")
	}
	if b, _ := os.ReadFile(filepath.Join(other, "keep.txt")); string(b) != "x" {
		t.Fatal("keep.txt lost")
	}
}

// TestJSONStringEscaping: appendJSONString round-trips through encoding/json
// for valid UTF-8 (invalid bytes become U+FFFD, as encoding/json does) and
// leaves &, < and > unescaped.
func TestJSONStringEscaping(t *testing.T) {
	for _, s := range []string{"", "plain", `quo"te back\slash`, "tab\tnl\ncr\r\x00\x1f", "Berger & Nasr <b>", "用户ID ✓", "bad \xff byte", "\u2028"} {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q -> %s: %v", s, b, err)
		}
		want := validPerByte(s)
		if got != want {
			t.Errorf("%q -> %s -> %q", s, b, got)
		}
		if strings.Contains(s, "&") && !strings.Contains(string(b), "&") {
			t.Errorf("%q escaped & as %s", s, b)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	f.Add("a\"b\\c\n")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := validPerByte(s); got != want {
			t.Fatalf("%q read back as %q", s, got)
		}
	})
}

// validPerByte replaces every invalid UTF-8 byte by U+FFFD (as encoding/json does).
func validPerByte(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
