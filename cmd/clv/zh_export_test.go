package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// writeChineseExport writes rows (header first) as a GBK CSV with CRLF line
// ends, the way Excel saves in a Chinese locale, with header replaced and the
// columns in dateCols rewritten from 2006-01-02 to 2006/1/2.
func writeChineseExport(t *testing.T, path string, rows [][]string, header []string, dateCols ...int) {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	for i, r := range rows {
		r = append([]string(nil), r...)
		if i == 0 {
			r = header
		} else {
			for _, c := range dateCols {
				if r[c] == "" {
					continue
				}
				d, err := time.Parse("2006-01-02", r[c])
				if err != nil {
					t.Fatalf("%s line %d: %v", path, i+1, err)
				}
				r[c] = d.Format("2006/1/2")
			}
		}
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, gbk, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readExample(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "examples", "telecom", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestChineseGBKExportReport: a GBK copy of examples/telecom with Chinese
// headers and Excel's Chinese-locale dates (2024/1/5) gives, with no flag but
// the folder, the same Markdown report as the UTF-8 English original (file
// names aside): the encoding, the columns, the dates and the attribute
// columns 套餐/客户类型/地区 (plan/customer_type/region) are all recognised.
func TestChineseGBKExportReport(t *testing.T) {
	subs := readExample(t, "subscribers.csv")
	tx := readExample(t, "transactions.csv")
	if got := strings.Join(subs[0], ","); got != "subscriber_id,activation_date,churn_date,plan,customer_type,region" {
		t.Fatalf("examples/telecom/subscribers.csv header changed: %s", got)
	}
	if got := strings.Join(tx[0], ","); got != "subscriber_id,date,amount" {
		t.Fatalf("examples/telecom/transactions.csv header changed: %s", got)
	}
	dir := t.TempDir()
	writeChineseExport(t, filepath.Join(dir, "subscribers.csv"), subs, []string{"用户ID", "入网时间", "离网时间", "套餐", "客户类型", "地区"}, 1, 2)
	writeChineseExport(t, filepath.Join(dir, "transactions.csv"), tx, []string{"用户ID", "账期", "金额"}, 1)

	zh := runCLI(t, "", "report", dir)
	if zh.code != 0 {
		t.Fatalf("Chinese export: exit %d: %s", zh.code, zh.stderr)
	}
	en := runCLI(t, "", "report", "examples/telecom")
	if en.code != 0 {
		t.Fatalf("English original: exit %d: %s", en.code, en.stderr)
	}
	for _, note := range []string{
		"encoding gb18030 (detected",
		"customer=用户ID, activation=入网时间, churn=离网时间",
		"attribute columns plan=套餐, customer_type=客户类型, region=地区",
		"customer=用户ID, date=账期, amount=金额",
	} {
		if !strings.Contains(zh.stderr, note) {
			t.Errorf("stderr lacks %q:\n%s", note, zh.stderr)
		}
	}
	got := strings.ReplaceAll(zh.stdout, dir, "examples/telecom")
	if got != en.stdout {
		t.Errorf("reports differ:\n%s", firstDiff(en.stdout, got))
	}
	// The comparison is only meaningful if the report has the sections the
	// attribute columns feed.
	for _, s := range []string{"one sBG fit per plan (business, family, postpaid, prepaid)", "**Profile by region**",
		"**Profile by customer type**", "| customer id | customer type | stage |"} {
		if !strings.Contains(en.stdout, s) {
			t.Errorf("the English report lacks %q: the comparison does not cover it", s)
		}
	}
}
