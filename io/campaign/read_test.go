package campaign

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadIDs(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("customer_id\nS1\nS2\n"))
	zw.Close()
	cases := []struct {
		name, content string
		want          []string
	}{
		{"plain.txt", "S1\n S2 \n\nS3\r\nS1\n", []string{"S1", "S2", "S3", "S1"}},
		{"header.csv", "customer_id\nS1\nS2\n", []string{"S1", "S2"}},
		{"bom.csv", "\ufeffsubscriber_id,name\nS1,a\nS2,\"b, c\"\n", []string{"S1", "S2"}},
		{"second.csv", "name;MSISDN\nx;138001\ny;138002\n", []string{"138001", "138002"}},
		{"zh.csv", "姓名,用户ID\n张三,S9\n", []string{"S9"}},
		{"empty.csv", "", nil},
		{"list.gz", gz.String(), []string{"S1", "S2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadIDs(writeFile(t, c.name, c.content))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("ids %q, want %q", got, c.want)
			}
		})
	}
	if _, err := ReadIDs(writeFile(t, "noid.csv", "name,city\na,b\n")); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "no id column") {
		t.Errorf("no id column: %v", err)
	}
	long := strings.Repeat("x", MaxLineBytes+10)
	if _, err := ReadIDs(writeFile(t, "long.txt", "a\n"+long+"\n")); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("overlong line: %v", err)
	}
}

// snapshotTable is a per-subscriber table as clv segment writes it (the
// columns ReadPrevious needs among others).
func snapshotTable() *render.Table {
	return &render.Table{Columns: []render.Column{
		render.Strings("customer_id", []string{"S1", "S2", "S3"}),
		render.Strings("stage", []string{"growth", "churned", "decline"}),
		render.Strings("value_tier", []string{"gold", "bronze", "silver"}),
		render.Floats("clv", []float64{123.25, 0, 1e-3}),
		render.Floats("current_value", []float64{1, 2, 3}),
		render.Floats("risk_score", []float64{0.125, 1, 0.5}),
	}}
}

func TestReadPreviousRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []render.Format{render.FormatCSV, render.FormatParquet} {
		t.Run(string(f), func(t *testing.T) {
			p := filepath.Join(dir, "prev."+string(f))
			var b bytes.Buffer
			if err := render.WriteTable(&b, f, snapshotTable()); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(p, b.Bytes(), 0o644)
			s, err := ReadPrevious(p)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.IDs, []string{"S1", "S2", "S3"}) || !slices.Equal(s.Stage, []segment.Stage{segment.Growth, segment.Churned, segment.Decline}) ||
				!slices.Equal(s.Tier, []string{"gold", "bronze", "silver"}) || !slices.Equal(s.CLV, []float64{123.25, 0, 1e-3}) ||
				!slices.Equal(s.Risk, []float64{0.125, 1, 0.5}) || s.AsOf != dataset.NoDay {
				t.Errorf("read %+v", s)
			}
		})
	}
	s, err := ParsePrevious(strings.NewReader("as_of,customer_id,stage,value_tier,clv,risk_score\n2024-11-30,S1,growth,gold,1,0.5\n"), "x.csv")
	if err != nil || s.AsOf != dataset.Civil(2024, 11, 30) {
		t.Errorf("as_of column: %v %v", s, err)
	}
}

func TestReadPreviousErrors(t *testing.T) {
	cases := map[string]string{
		"customer_id,stage,clv,risk_score\nS1,growth,1,0\n":                                       `no "value_tier" column`,
		"customer_id,stage,value_tier,clv,risk_score\nS1,growing,gold,1,0\n":                      `x.csv:2: column "stage"`,
		"customer_id,stage,value_tier,clv,risk_score\nS1,growth,gold,1,0\nS2,growth,gold,NaN,0\n": `x.csv:3: column "clv"`,
		"customer_id,stage,value_tier,clv,risk_score\nS1,growth,gold,1,0\nS1,growth,gold,1,0\n":   `customer "S1" on rows 1 and 2`,
		"customer_id,stage,value_tier,clv,risk_score\n":                                           "no rows",
		"customer_id,stage,value_tier,clv,risk_score\n,growth,gold,1,0\n":                         "empty customer id",
	}
	for in, want := range cases {
		_, err := ParsePrevious(strings.NewReader(in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to mention %s", in, err, want)
		}
	}
	if _, err := ReadPrevious(writeFile(t, "bad.parquet", "PAR1 not really")); err == nil {
		t.Error("corrupt Parquet accepted")
	}
}

func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{"S1\nS2\n", "customer_id,x\n1,2\n", "\"a\nb\",c\n", "\ufeffid\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := ParseIDs(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		for _, id := range ids {
			if id == "" || strings.TrimSpace(id) != id {
				t.Fatalf("id %q is empty or not trimmed", id)
			}
		}
	})
}

func FuzzParsePrevious(f *testing.F) {
	f.Add("customer_id,stage,value_tier,clv,risk_score\nS1,growth,gold,1,0.5\n")
	f.Add("customer_id;stage;value_tier;clv;risk_score;as_of\nS1;churned;x;0;1;2024-01-01\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrevious(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid snapshot: %v", err)
		}
	})
}
