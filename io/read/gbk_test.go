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

// TestChineseAttributeNames: Chinese attribute headers are read under the
// English names the analyses use, the mapping is noted and recorded in
// Stats.Columns; a column already named in English, or a second synonym of
// the same attribute, keeps its own name.
func TestChineseAttributeNames(t *testing.T) {
	var notes strings.Builder
	name := writeFile(t, "subs.csv", "用户ID,入网时间,离网时间,套餐,客户类型,地区,区域,渠道,客户经理,集团,备注\n"+
		"A,2024-01-05,,5G畅享,个人,东区,华东,营业厅,张三,G1,x\n")
	s, st, err := Subscribers(name, Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"plan", "customer_type", "region", "区域", "channel", "account_manager", "group", "备注"}
	if !slices.Equal(s.AttrNames, want) {
		t.Fatalf("attribute names %v, want %v", s.AttrNames, want)
	}
	if got := s.Attr("plan"); len(got) != 1 || got[0] != "5G畅享" {
		t.Fatalf("plan %v", got)
	}
	if got := s.Attr("region"); len(got) != 1 || got[0] != "东区" {
		t.Fatalf("region %v", got)
	}
	if st.Columns["plan"] != "套餐" || st.Columns["region"] != "地区" || st.Columns["group"] != "集团" {
		t.Fatalf("columns %v", st.Columns)
	}
	note := name + ": attribute columns plan=套餐, customer_type=客户类型, region=地区, channel=渠道, account_manager=客户经理, group=集团 (Chinese names read as English)\n"
	if !strings.Contains(notes.String(), note) {
		t.Fatalf("notes %q\nwant %q", notes.String(), note)
	}

	// An export with both plan and 套餐: 套餐 is not renamed (no two plans).
	both := writeFile(t, "both.csv", "id,activation_date,Plan,套餐,区域\nA,2024-01-05,p,q,r\n")
	s, _, err = Subscribers(both, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Plan", "套餐", "region"}; !slices.Equal(s.AttrNames, want) {
		t.Fatalf("attribute names %v, want %v", s.AttrNames, want)
	}
}
