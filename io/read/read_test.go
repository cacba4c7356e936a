package read

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestTransactionsCDNOW(t *testing.T) {
	// The CDNOW sample's README: 6,919 purchase records of 2,357 customers.
	tx, st, err := Transactions(filepath.Join("testdata", "cdnow_sample.csv"), Options{})
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
	var e *Error
	_, _, err = Transactions(filepath.Join("testdata", "missing.csv"), Options{})
	if err == nil || errors.As(err, &e) {
		t.Fatalf("missing file: %v", err)
	}
}
