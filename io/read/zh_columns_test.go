package read

import (
	"slices"
	"testing"
)

// TestChineseOperatorHeaders: the header names of Chinese operators' billing
// and subscriber exports (phone-number ids, 缴费日期/账期 dates, 实收 amounts,
// 套餐名称/入网渠道/集团编码 attributes) are found without flags. Every case
// names one column per role, so a miss fails the read.
func TestChineseOperatorHeaders(t *testing.T) {
	tx := []struct{ header, id, date, amount string }{
		{"手机号码,缴费日期,实收", "手机号码", "缴费日期", "实收"},
		{"用户号码,账期,账单金额", "用户号码", "账期", "账单金额"},
		{"服务号码,交易日期,消费金额", "服务号码", "交易日期", "消费金额"},
		{"客户编号,出账日期,应收金额", "客户编号", "出账日期", "应收金额"},
	}
	for _, c := range tx {
		t.Run(c.header, func(t *testing.T) {
			name := writeFile(t, "tx.csv", c.header+"\n13800000001,2024/1/5,58.5\n13800000002,2024/2/5,0\n")
			d, st, err := Transactions(name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Len() != 2 || d.Amount[0] != 58.5 {
				t.Fatalf("read %d rows, first amount %v", d.Len(), d.Amount)
			}
			if st.Columns["customer"] != c.id || st.Columns["date"] != c.date || st.Columns["amount"] != c.amount {
				t.Fatalf("columns %v, want %s/%s/%s", st.Columns, c.id, c.date, c.amount)
			}
		})
	}
	name := writeFile(t, "subs.csv", "用户号码,入网日期,离网日期,套餐名称,客户类别,所属区域,入网渠道,客户经理姓名,集团编码\n"+
		"13800000001,2024/1/5,,5G畅享,个人,东区,营业厅,张三,G1\n")
	s, _, err := Subscribers(name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"plan", "customer_type", "region", "channel", "account_manager", "group"}
	if !slices.Equal(s.AttrNames, want) {
		t.Fatalf("attribute names %v, want %v", s.AttrNames, want)
	}
	if got := s.Attr("channel"); len(got) != 1 || got[0] != "营业厅" {
		t.Fatalf("channel %v", got)
	}
}

// TestBillMonthDates: a 账期 column written as 202401 or 2024/01 (Chinese
// billing exports) reads as the first day of the month; an impossible month
// is an error, not another date.
func TestBillMonthDates(t *testing.T) {
	name := writeFile(t, "bill.csv", "用户号码,账期,实收\nA,202401,10\nB,2024/02,20\nC,2024-03,30\n")
	d, _, err := Transactions(name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"2024-01-01", "2024-02-01", "2024-03-01"} {
		if got := d.Day[i].String(); got != want {
			t.Errorf("row %d: %s, want %s", i+1, got, want)
		}
	}
	bad := writeFile(t, "bad.csv", "用户号码,账期,实收\nA,202413,10\n")
	if _, _, err := Transactions(bad, Options{}); err == nil {
		t.Error("month 13 accepted")
	}
}
