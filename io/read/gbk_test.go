package read

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The testdata files *_gbk.csv (GBK, CRLF, Chinese headers 用户ID/账期/消费金额
// and 用户ID/入网时间/离网时间/套餐/客户类型/地区) and *_utf8.csv (UTF-8, LF,
// English headers) hold the same rows: the first 59 rows of the project's
// testdata/gbk files.

func TestGBKMatchesUTF8Transactions(t *testing.T) {
	var notes bytes.Buffer
	g, st, err := Transactions(filepath.Join("testdata", "transactions_gbk.csv"), Options{Encoding: "gbk", Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := Transactions(filepath.Join("testdata", "transactions_utf8.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 59 {
		t.Fatalf("%d rows, want 59", g.Len())
	}
	equalTransactions(t, g, u)
	if st.Columns["customer"] != "用户ID" || st.Columns["date"] != "账期" || st.Columns["amount"] != "消费金额" {
		t.Fatalf("columns %v", st.Columns)
	}
	if !strings.Contains(notes.String(), "customer=用户ID, date=账期, amount=消费金额") {
		t.Fatalf("notes %q", notes.String())
	}
	// GB18030 is a superset of GBK: same result.
	g2, _, err := Transactions(filepath.Join("testdata", "transactions_gbk.csv"), Options{Encoding: "gb18030"})
	if err != nil {
		t.Fatal(err)
	}
	equalTransactions(t, g2, u)
}

func TestGBKMatchesUTF8Subscribers(t *testing.T) {
	g, _, err := Subscribers(filepath.Join("testdata", "subscribers_gbk.csv"), Options{Encoding: "gbk"})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := Subscribers(filepath.Join("testdata", "subscribers_utf8.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 59 || !slices.Equal(g.ID, u.ID) || !slices.Equal(g.Activation, u.Activation) || !slices.Equal(g.Churn, u.Churn) {
		t.Fatalf("subscribers differ: %d vs %d", g.Len(), u.Len())
	}
	if !slices.Equal(g.AttrNames, u.AttrNames) {
		t.Fatalf("attribute names %v vs %v", g.AttrNames, u.AttrNames)
	}
	for k := range g.Attrs {
		if !slices.Equal(g.Attrs[k], u.Attrs[k]) {
			t.Fatalf("attribute %s differs", g.AttrNames[k])
		}
	}
}

func TestGBKReadAsUTF8IsAnError(t *testing.T) {
	name := filepath.Join("testdata", "transactions_gbk.csv")
	_, _, err := Transactions(name, Options{Encoding: "utf-8"})
	want := name + ":1: header: invalid UTF-8 text; if the file comes from Chinese Excel, try --encoding gbk"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

// TestEncodingDetected: without Encoding, the GBK export is detected as
// GB18030 (GBK is a subset), the choice is noted, and the rows equal the
// UTF-8 export's; the UTF-8 export is read as UTF-8 without a note.
func TestEncodingDetected(t *testing.T) {
	var notes strings.Builder
	gbk := filepath.Join("testdata", "transactions_gbk.csv")
	g, _, err := Transactions(gbk, Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	want := gbk + ": encoding gb18030 (detected: not valid UTF-8, valid GB18030; set it with --encoding)\n"
	if !strings.HasPrefix(notes.String(), want) {
		t.Errorf("notes %q, want first %q", notes.String(), want)
	}
	notes.Reset()
	u, _, err := Transactions(filepath.Join("testdata", "transactions_utf8.csv"), Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(notes.String(), "encoding") {
		t.Errorf("UTF-8 file: notes %q", notes.String())
	}
	if !slices.Equal(g.IDs, u.IDs) || !slices.Equal(g.Day, u.Day) || !slices.Equal(g.Amount, u.Amount) {
		t.Fatal("detected GBK read differs from the UTF-8 export")
	}
}

// TestForcedEncodingGarbles: --encoding gbk on a UTF-8 export decodes to
// replacement characters; that is an error at the first such line, not ids
// silently garbled.
func TestForcedEncodingGarbles(t *testing.T) {
	name := filepath.Join("testdata", "subscribers_utf8.csv") // Chinese header and attributes
	_, _, err := Subscribers(name, Options{Encoding: "gbk"})
	if err == nil || !errors.Is(err, ErrBadInput) || !strings.HasPrefix(err.Error(), name+":1: the text is not valid GBK (--encoding gbk gives replacement or control characters); is the file UTF-8?") {
		t.Fatalf("got %v", err)
	}
}
