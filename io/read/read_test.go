package read

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func TestTransactionsCDNOW(t *testing.T) {
	// The CDNOW sample's README: 6,919 purchase records of 2,357 customers.
	var notes bytes.Buffer
	tx, st, err := Transactions(filepath.Join("testdata", "cdnow_sample.csv"), Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	if tx.Len() != 6919 || tx.Customers() != 2357 {
		t.Fatalf("got %d rows, %d customers; want 6919, 2357", tx.Len(), tx.Customers())
	}
	if st.Rows != 6919 || st.Accepted != 6919 || st.Rejected != 0 {
		t.Fatalf("stats %+v", st)
	}
	if st.Columns["customer"] != "customer_id" || st.Columns["date"] != "date" || st.Columns["amount"] != "amount" {
		t.Fatalf("columns %v", st.Columns)
	}
	if tx.IDs[0] != "00004" || tx.Day[0].String() != "1997-01-01" || tx.Amount[0] != 29.33 {
		t.Fatalf("first row: %s %s %v", tx.IDs[0], tx.Day[0], tx.Amount[0])
	}
	wantNote := "testdata/cdnow_sample.csv: using columns customer=customer_id, date=date, amount=amount (auto-detected)\n"
	if notes.String() != wantNote {
		t.Fatalf("notes %q, want %q", notes.String(), wantNote)
	}
	var e *Error
	_, _, err = Transactions(filepath.Join("testdata", "missing.csv"), Options{})
	if err == nil || errors.As(err, &e) || errors.Is(err, ErrBadInput) {
		t.Fatalf("missing file: %v", err)
	}
}

// writeFile writes content to a temporary file and returns its name.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// randomExport builds a transaction CSV with n rows of about n/5 customers
// in random order, with quoted fields, CRLF line ends and blank lines mixed in.
func randomExport(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString("customer_id,date,amount,note\n")
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("C%d", r.IntN(n/5+1))
		if r.IntN(7) == 0 {
			id = `"` + id + `"`
		}
		d := dataset.Civil(2020, 1, 1) + dataset.Day(r.IntN(1500))
		amt := strconv.FormatFloat(math.Round(r.NormFloat64()*5000)/100, 'f', -1, 64)
		note := "x"
		switch r.IntN(10) {
		case 0:
			note = "\"multi\nline, \"\"quoted\"\"\""
		case 1:
			note = "\"\""
		}
		eol := "\n"
		if r.IntN(5) == 0 {
			eol = "\r\n"
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s%s", id, d, amt, note, eol)
		if r.IntN(50) == 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// referenceTransactions reads content with encoding/csv and a Go map.
func referenceTransactions(t *testing.T, content string) *dataset.Transactions {
	recs, err := csv.NewReader(strings.NewReader(content)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := &dataset.Transactions{}
	index := map[string]int32{}
	for _, rec := range recs[1:] {
		c, ok := index[rec[0]]
		if !ok {
			c = int32(len(out.IDs))
			index[rec[0]] = c
			out.IDs = append(out.IDs, rec[0])
		}
		d, st := parseAutoDate([]byte(rec[1]))
		a, err := strconv.ParseFloat(rec[2], 64)
		if st != dateOK || err != nil {
			t.Fatalf("reference: bad row %q", rec)
		}
		out.Customer = append(out.Customer, c)
		out.Day = append(out.Day, d)
		out.Amount = append(out.Amount, a)
	}
	return out
}

func equalTransactions(t *testing.T, got, want *dataset.Transactions) {
	t.Helper()
	if got.Len() != want.Len() || got.Customers() != want.Customers() {
		t.Fatalf("got %d rows / %d customers, want %d / %d", got.Len(), got.Customers(), want.Len(), want.Customers())
	}
	for i := range want.IDs {
		if got.IDs[i] != want.IDs[i] {
			t.Fatalf("id %d: got %q, want %q", i, got.IDs[i], want.IDs[i])
		}
	}
	for i := range want.Customer {
		if got.Customer[i] != want.Customer[i] || got.Day[i] != want.Day[i] || math.Float64bits(got.Amount[i]) != math.Float64bits(want.Amount[i]) {
			t.Fatalf("row %d: got (%d %s %v), want (%d %s %v)", i, got.Customer[i], got.Day[i], got.Amount[i], want.Customer[i], want.Day[i], want.Amount[i])
		}
	}
}

func TestTransactionsMatchReference(t *testing.T) {
	defer func(old int) { blockSize = old }(blockSize)
	content := randomExport(10000, 3)
	want := referenceTransactions(t, content)
	name := writeFile(t, "tx.csv", content)
	for _, bs := range []int{100, 3000, 4 << 20} {
		for _, w := range []int{1, 2, 5} {
			t.Run(fmt.Sprintf("block%d/workers%d", bs, w), func(t *testing.T) {
				blockSize = bs
				got, st, err := Transactions(name, Options{Workers: w})
				if err != nil {
					t.Fatal(err)
				}
				if st.Rows != int64(want.Len()) || st.Accepted != st.Rows {
					t.Fatalf("stats %+v", st)
				}
				equalTransactions(t, got, want)
			})
		}
	}
}

func TestTransactionsSources(t *testing.T) {
	content := "customer_id,date,amount\nA,2024-01-05,10\nB,2024-01-06,20.5\nA,2024-02-01,-3\n"
	want := referenceTransactions(t, content)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(content))
	zw.Close()
	dir := t.TempDir()
	gzName := filepath.Join(dir, "tx.csv.gz")
	os.WriteFile(gzName, gz.Bytes(), 0o644)
	magic := filepath.Join(dir, "tx-no-suffix")
	os.WriteFile(magic, gz.Bytes(), 0o644)
	cases := []struct {
		name string
		file string
		opt  Options
	}{
		{"plain", writeFile(t, "a.csv", content), Options{}},
		{"bom crlf", writeFile(t, "b.csv", "\ufeff"+strings.ReplaceAll(content, "\n", "\r\n")), Options{}},
		{"tsv", writeFile(t, "c.tsv", strings.ReplaceAll(content, ",", "\t")), Options{}},
		{"semicolon", writeFile(t, "d.csv", strings.ReplaceAll(content, ",", ";")), Options{}},
		{"pipe", writeFile(t, "e.csv", strings.ReplaceAll(content, ",", "|")), Options{}},
		{"explicit delimiter", writeFile(t, "f.csv", strings.ReplaceAll(content, ",", ";")), Options{Delimiter: ';'}},
		{"quoted header", writeFile(t, "g.csv", "\"customer_id\",\"date\",\"amount\"\n\"A\",\"2024-01-05\",\"10\"\nB,2024-01-06,20.5\n\"A\",2024-02-01,\"-3\""), Options{}},
		{"gzip", gzName, Options{}},
		{"gzip magic", magic, Options{}},
		{"stdin", "-", Options{Stdin: strings.NewReader(content)}},
		{"no final newline", writeFile(t, "h.csv", strings.TrimSuffix(content, "\n")), Options{}},
		{"date formats", writeFile(t, "i.csv", "customer_id,date,amount\nA,20240105,10\nB,2024/01/06,20.5\nA,2024-02-01T08:00:00+08:00,-3\n"), Options{}},
		{"date layout", writeFile(t, "j.csv", "customer_id,date,amount\nA,05.01.2024,10\nB,06.01.2024,20.5\nA,01.02.2024,-3\n"), Options{DateFormat: "02.01.2006"}},
		{"spaces", writeFile(t, "k.csv", "customer_id , date , amount\n A , 2024-01-05 , 10 \nB,2024-01-06,20.5\nA,2024-02-01,-3\n"), Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := Transactions(c.file, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			equalTransactions(t, got, want)
		})
	}
}

func TestColumnDetection(t *testing.T) {
	cases := []struct {
		header string
		opt    Options
		want   string // customer/date/amount
	}{
		{"subscriber_id,bill_date,revenue", Options{}, "subscriber_id/bill_date/revenue"},
		{"Customer ID,Order Date,Amount", Options{}, "Customer ID/Order Date/Amount"},
		{"用户ID,日期,金额", Options{}, "用户ID/日期/金额"},
		{"客户编号,账期,消费金额", Options{}, "客户编号/账期/消费金额"},
		{"id,customer_id,date,amount", Options{}, "customer_id/date/amount"},
		{"subscriber_id,customer_id,date,amount", Options{}, "customer_id/date/amount"},
		{"a,b,c", Options{CustomerCol: "a", DateCol: "b", AmountCol: "c"}, "a/b/c"},
		{"acct,day,net", Options{CustomerCol: "ACCT", AmountCol: "net"}, "acct/day/net"},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			var st Stats
			cols, err := resolveColumns("f", strings.Split(c.header, ","), transactionSpec(), &c.opt, &st)
			if err != nil {
				t.Fatal(err)
			}
			got := cols.name(0) + "/" + cols.name(1) + "/" + cols.name(2)
			if got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestAmbiguousColumnsNote(t *testing.T) {
	var notes bytes.Buffer
	name := writeFile(t, "tx.csv", "subscriber_id,customer_id,order_date,date,amount\nS1,C1,2024-01-01,2024-01-02,5\n")
	_, _, err := Transactions(name, Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	want := name + ": using columns customer=customer_id (also possible: subscriber_id), date=date (also possible: order_date), amount=amount (auto-detected)\n"
	if notes.String() != want {
		t.Fatalf("notes %q\nwant  %q", notes.String(), want)
	}
}

func TestRejectsAndMaxErrors(t *testing.T) {
	content := "customer_id,date,amount\nA,2024-01-05,10\nB,2024-02-30,1\nC,2024-01-07,12,5x\n,2024-01-08,3\nD,2024-01-09,1,234.50\nE,2024-01-10,7\n"
	name := writeFile(t, "tx.csv", content)
	t.Run("first bad row stops", func(t *testing.T) {
		_, _, err := Transactions(name, Options{Workers: 2})
		want := name + `:3: column "date": "2024-02-30" is not a calendar date`
		if err == nil || err.Error() != want || !errors.Is(err, ErrBadInput) {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
	t.Run("budget", func(t *testing.T) {
		var rej bytes.Buffer
		tx, st, err := Transactions(name, Options{MaxErrors: 4, Rejects: &rej})
		if err != nil {
			t.Fatal(err)
		}
		if tx.Len() != 2 || st.Rows != 6 || st.Accepted != 2 || st.Rejected != 4 {
			t.Fatalf("rows %d, stats %+v", tx.Len(), st)
		}
		want := "line,reason,raw\n" +
			"3,\"column \"\"date\"\": \"\"2024-02-30\"\" is not a calendar date\",\"B,2024-02-30,1\"\n" +
			"4,\"expected 3 fields (as in the header), found 4\",\"C,2024-01-07,12,5x\"\n" +
			"5,\"column \"\"customer_id\"\": empty customer id\",\",2024-01-08,3\"\n" +
			"6,\"expected 3 fields (as in the header), found 4\",\"D,2024-01-09,1,234.50\"\n"
		if rej.String() != want {
			t.Fatalf("rejects:\n%s\nwant:\n%s", rej.String(), want)
		}
		if st.String() != "read 6 rows: accepted 2, rejected 4" {
			t.Fatalf("summary line %q", st.String())
		}
	})
	t.Run("budget exceeded", func(t *testing.T) {
		_, _, err := Transactions(name, Options{MaxErrors: 2})
		want := name + `:5: column "customer_id": empty customer id (more than 2 bad rows; --max-errors 2)`
		if err == nil || err.Error() != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
}

func TestBadRowOrderAcrossBlocks(t *testing.T) {
	// With many small blocks parsed in parallel, the error reported is the
	// first bad row of the file.
	defer func(old int) { blockSize = old }(blockSize)
	blockSize = 128
	var b strings.Builder
	b.WriteString("customer_id,date,amount\n")
	for i := 0; i < 5000; i++ {
		amt := "1.5"
		if i == 3000 || i == 4000 {
			amt = "oops"
		}
		fmt.Fprintf(&b, "c%d,2024-01-01,%s\n", i%97, amt)
	}
	name := writeFile(t, "tx.csv", b.String())
	for w := 1; w <= 4; w++ {
		_, _, err := Transactions(name, Options{Workers: w})
		want := name + `:3002: column "amount": cannot parse "oops" as a number`
		if err == nil || err.Error() != want {
			t.Fatalf("workers %d: got %v, want %s", w, err, want)
		}
		var rej bytes.Buffer
		tx, st, err := Transactions(name, Options{Workers: w, MaxErrors: 5, Rejects: &rej})
		if err != nil || tx.Len() != 4998 || st.Rejected != 2 {
			t.Fatalf("workers %d: %v, %d rows, %+v", w, err, tx.Len(), st)
		}
		wantRej := "line,reason,raw\n3002,\"column \"\"amount\"\": cannot parse \"\"oops\"\" as a number\",\"c90,2024-01-01,oops\"\n" +
			"4002,\"column \"\"amount\"\": cannot parse \"\"oops\"\" as a number\",\"c23,2024-01-01,oops\"\n"
		if rej.String() != wantRej {
			t.Fatalf("workers %d: rejects\n%s\nwant\n%s", w, rej.String(), wantRej)
		}
	}
}

func TestDedupe(t *testing.T) {
	content := "customer_id,date,amount\nA,2024-01-05,10\nA,2024-01-05,10\nB,2024-01-05,10\nA,2024-01-05,10.0\nA,2024-01-06,10\nB,2024-01-05,10\n"
	name := writeFile(t, "tx.csv", content)
	tx, st, err := Transactions(name, Options{})
	if err != nil || tx.Len() != 6 || st.Duplicates != 0 {
		t.Fatalf("without dedupe: %v %d %+v", err, tx.Len(), st)
	}
	tx, st, err = Transactions(name, Options{Dedupe: true})
	if err != nil {
		t.Fatal(err)
	}
	// 10 and 10.0 are the same amount: rows 2, 4 and 6 repeat earlier rows.
	if tx.Len() != 3 || st.Duplicates != 3 || st.Accepted != 6 {
		t.Fatalf("rows %d, stats %+v", tx.Len(), st)
	}
	want := []string{"A 2024-01-05", "B 2024-01-05", "A 2024-01-06"}
	for i, w := range want {
		if got := tx.IDs[tx.Customer[i]] + " " + tx.Day[i].String(); got != w {
			t.Fatalf("row %d: %s, want %s", i, got, w)
		}
	}
}

func TestSubscribers(t *testing.T) {
	content := "subscriber_id,activation_date,churn_date,plan,region\nS1,2023-01-15,,prepaid,north\nS2,2022-06-01,2023-03-31,postpaid,south\n"
	var notes bytes.Buffer
	s, st, err := Subscribers(writeFile(t, "subs.csv", content), Options{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || st.Accepted != 2 || s.Churn[0] != dataset.NoDay || s.Churn[1].String() != "2023-03-31" || s.Activation[0].String() != "2023-01-15" {
		t.Fatalf("got %+v", s)
	}
	if strings.Join(s.AttrNames, ",") != "plan,region" || s.Attr("plan")[1] != "postpaid" || s.Attr("region")[0] != "north" {
		t.Fatalf("attributes %v %v", s.AttrNames, s.Attrs)
	}
	if !strings.Contains(notes.String(), "customer=subscriber_id, activation=activation_date, churn=churn_date (auto") {
		t.Fatalf("notes %q", notes.String())
	}
	bad := writeFile(t, "bad.csv", "subscriber_id,activation_date,churn_date\nS1,2023-05-01,2023-01-01\n")
	_, _, err = Subscribers(bad, Options{})
	want := bad + `:2: column "churn_date": churn date 2023-01-01 is before activation date 2023-05-01`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestSummaryFile(t *testing.T) {
	content := "customer_id,first_date,last_date,transactions,periods,total_amount,mean_amount,recency_days,tenure_days,x,t_x,T,monetary\n" +
		"00004,1997-01-01,1997-12-12,4,4,100.5,25.125,200,545,3,49.14,77.86,23.72\n" +
		"00018,1997-01-01,1997-01-01,1,1,29.73,29.73,545,545,0,0,77.86,0\n"
	s, _, err := Summary(writeFile(t, "sum.csv", content), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || s.X[0] != 3 || s.Tx[0] != 49.14 || s.T[1] != 77.86 || s.Monetary[0] != 23.72 || s.Transactions[0] != 4 {
		t.Fatalf("got %+v", s)
	}
	if s.AsOf.String() != "1998-06-30" {
		t.Fatalf("as of %s", s.AsOf)
	}
	minimal := "customer_id,x,t_x,T\nA,2,10,20\n"
	s, _, err = Summary(writeFile(t, "min.csv", minimal), Options{})
	if err != nil || s.Monetary != nil || s.AsOf != dataset.NoDay || s.X[0] != 2 {
		t.Fatalf("minimal: %v %+v", err, s)
	}
	bad := writeFile(t, "bad.csv", "customer_id,x,t_x,T\nA,2.5,10,20\n")
	_, _, err = Summary(bad, Options{})
	want := bad + `:2: column "x": x = 2.5 is not a whole number of repeat transactions`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestProgressAndStdinGzip(t *testing.T) {
	content := randomExport(3000, 9)
	name := writeFile(t, "tx.csv", content)
	var last, total int64
	calls := 0
	_, _, err := Transactions(name, Options{Progress: func(done, tot int64) { last, total = done, tot; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != int64(len(content)) || total != int64(len(content)) {
		t.Fatalf("progress: %d calls, last %d of %d; file has %d bytes", calls, last, total, len(content))
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(content))
	zw.Close()
	got, st, err := Transactions("-", Options{Stdin: &gz})
	if err != nil {
		t.Fatal(err)
	}
	if st.File != "stdin" {
		t.Fatalf("file %q", st.File)
	}
	equalTransactions(t, got, referenceTransactions(t, content))
}

func TestSubscribersQuotedCRLF(t *testing.T) {
	content := "\ufeff\"subscriber_id\",\"activation_date\",\"churn_date\",\"plan\",\"note\"\r\n" +
		"\"S1\",\"2023-01-15\",\"\",\"prepaid\",\"likes \"\"data\"\"\"\r\n" +
		"S2,20220601,2023-03,\"postpaid, family\",\"two\r\nlines\"\r\n"
	s, _, err := Subscribers(writeFile(t, "subs.csv", content), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || s.Churn[0] != dataset.NoDay || s.Churn[1].String() != "2023-03-01" || s.Activation[1].String() != "2022-06-01" {
		t.Fatalf("got %+v", s)
	}
	if s.Attr("note")[0] != `likes "data"` || s.Attr("note")[1] != "two\nlines" || s.Attr("plan")[1] != "postpaid, family" {
		t.Fatalf("attributes %q", s.Attrs)
	}
}

func TestTxSinkMatchesReference(t *testing.T) {
	// The row-at-a-time sink (used by the Parquet reader) interns in
	// batches of blocks like the parallel text reader; feed it through the
	// sequential text path with tiny blocks.
	defer func(old int) { sinkBlockRows = old }(sinkBlockRows)
	content := randomExport(8000, 5)
	want := referenceTransactions(t, content)
	name := writeFile(t, "tx.csv", content)
	for _, rows := range []int{7, 100, 1 << 17} {
		sinkBlockRows = rows
		var st Stats
		opt := Options{}
		spec := transactionSpec()
		sink := newTxSink(spec, &opt, &st)
		if err := readText(name, spec, &opt, &st, sink); err != nil {
			t.Fatal(err)
		}
		got, err := sink.transactions()
		if err != nil {
			t.Fatal(err)
		}
		equalTransactions(t, got, want)
	}
}

// Spreadsheet dates (Chinese locales) read with no --date-format, in
// transactions (parallel fast path) and subscribers (converter), and an
// impossible one is an error at its line.
func TestSpreadsheetDates(t *testing.T) {
	tx := writeFile(t, "tx.csv", "用户ID,账期,金额\nA,2024/1/5,10\nB,2024年01月05日,2\nA,2024.1.31,3\nB,2024-1-5,4\n")
	got, _, err := Transactions(tx, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []dataset.Day{dataset.Civil(2024, 1, 5), dataset.Civil(2024, 1, 5), dataset.Civil(2024, 1, 31), dataset.Civil(2024, 1, 5)}
	if !slices.Equal(got.Day, want) {
		t.Fatalf("days %v, want %v", got.Day, want)
	}
	sub := writeFile(t, "sub.csv", "用户ID,入网时间,离网时间\nA,2023/12/1,\nB,2023年2月3日,2024.3.4\n")
	s, _, err := Subscribers(sub, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Activation, []dataset.Day{dataset.Civil(2023, 12, 1), dataset.Civil(2023, 2, 3)}) || s.Churn[1] != dataset.Civil(2024, 3, 4) || s.Churn[0] != dataset.NoDay {
		t.Fatalf("activation %v churn %v", s.Activation, s.Churn)
	}
	bad := writeFile(t, "bad.csv", "用户ID,账期,金额\nA,2024/1/5,10\nB,2024/2/30,2\n")
	_, _, err = Transactions(bad, Options{})
	if wantErr := bad + `:3: column "账期": "2024/2/30" is not a calendar date`; err == nil || err.Error() != wantErr {
		t.Fatalf("got %v, want %s", err, wantErr)
	}
}
