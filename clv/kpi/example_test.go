package kpi_test

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
)

func ExampleMovements() {
	d := dataset.Civil
	subs := &dataset.Subscribers{
		ID:         []string{"a", "b", "c"},
		Activation: []dataset.Day{d(2023, 11, 5), d(2024, 1, 10), d(2024, 1, 20)},
		Churn:      []dataset.Day{d(2024, 2, 1), dataset.NoDay, dataset.NoDay},
	}
	tx := &dataset.Transactions{IDs: []string{"a", "b"}, Customer: []int32{0, 1, 1},
		Day: []dataset.Day{d(2024, 1, 3), d(2024, 1, 15), d(2024, 2, 15)}, Amount: []float64{30, 20, 25}}
	subOf, err := dataset.Join(tx, subs)
	if err != nil {
		panic(err)
	}
	t, err := kpi.Movements(subs, tx, subOf, kpi.Options{Period: dataset.PeriodMonth, AsOf: d(2024, 2, 29), From: d(2024, 1, 1)})
	if err != nil {
		panic(err)
	}
	for _, r := range t.Rows {
		fmt.Printf("%s open %d adds %d churn %d close %d churn rate %.2f ARPU %.2f\n",
			r.Period, r.OpeningBase, r.GrossAdds, r.Churners, r.ClosingBase, r.ChurnRate, r.ARPU)
	}
	fmt.Println("left out:", t.Skipped, "months before the observation start")
	// Output:
	// 2024-01-01 open 1 adds 2 churn 0 close 3 churn rate 0.00 ARPU 25.00
	// 2024-02-01 open 3 adds 0 churn 1 close 2 churn rate 0.40 ARPU 10.00
	// left out: 2 months before the observation start
}
