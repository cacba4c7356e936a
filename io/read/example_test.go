package read_test

import (
	"fmt"
	"path/filepath"

	"github.com/clvkit/clv/io/read"
)

func ExampleTransactions() {
	tx, st, err := read.Transactions(filepath.Join("testdata", "cdnow_sample.csv"), read.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st)
	fmt.Printf("%d customers; first row: %s %s %.2f\n", tx.Customers(), tx.IDs[tx.Customer[0]], tx.Day[0], tx.Amount[0])
	// Output:
	// read 6919 rows: accepted 6919, rejected 0
	// 2357 customers; first row: 00004 1997-01-01 29.33
}
