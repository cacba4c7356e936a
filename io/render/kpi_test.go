package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
)

func TestKPITables(t *testing.T) {
	tab := &kpi.Table{Options: kpi.Options{Period: dataset.PeriodMonth}, Rows: []kpi.Movement{
		{Period: dataset.Civil(2024, 1, 1), OpeningBase: 2, GrossAdds: 1, NetAdds: 1, ClosingBase: 3, Revenue: 7.5, Payers: 2}}}
	for _, c := range []struct {
		revenue bool
		header  string
	}{
		{false, "period,group,opening_base,gross_adds,churners,net_adds,closing_base,churn_rate\n2024-01-01,,2,1,0,1,3,0\n"},
		{true, "period,group,opening_base,gross_adds,churners,net_adds,closing_base,churn_rate,revenue,arpu,arppu,paying_share,new_arpu,paying_subscribers\n2024-01-01,,2,1,0,1,3,0,7.5,0,0,0,0,2\n"},
	} {
		var b bytes.Buffer
		if err := WriteTable(&b, FormatCSV, MovementTable(tab, c.revenue)); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.header {
			t.Errorf("got\n%s", b.String())
		}
	}
	co := &kpi.Cohorts{Options: kpi.Options{Period: dataset.PeriodQuarter}, Revenue: true, MaxTenure: 2, Groups: []string{"x"},
		Cells: []kpi.Cell{
			{Cohort: dataset.Civil(2024, 1, 1), Tenure: 1, Subscribers: 4, Active: 3, Retention: 0.75, Revenue: 8, RevenuePerSubscriber: 2, ARPU: 2},
			{Cohort: dataset.Civil(2024, 1, 1), Tenure: 2, Subscribers: 4, Active: 2, Retention: 0.5, Censored: 1},
			{Cohort: dataset.Civil(2024, 4, 1), Group: "x", Tenure: 1, Subscribers: 1, Active: 1, Retention: 1}}}
	var b bytes.Buffer
	if err := WriteTable(&b, FormatCSV, CohortTable(co)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "cohort,group,tenure,subscribers,active,survival,censored,revenue,revenue_per_subscriber,arpu\n2024-01-01,,1,4,3,0.75,0,8,2,2\n") {
		t.Errorf("long:\n%s", b.String())
	}
	m, err := co.Pivot(kpi.MetricRetention)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := WriteTable(&b, FormatCSV, CohortPivot(m, true)); err != nil {
		t.Fatal(err)
	}
	// The April cohort of group x has no second tenure: an empty cell.
	if want := "cohort,group,subscribers,1,2\n2024-01-01,,4,0.75,0.5\n2024-04-01,x,1,1,\n"; b.String() != want {
		t.Errorf("wide:\n%s", b.String())
	}
}

func TestPanelTable(t *testing.T) {
	tx := &dataset.Transactions{IDs: []string{"a", "b"}, Customer: []int32{0, 1, 0}, Amount: []float64{1, 2, 3},
		Day: []dataset.Day{dataset.Civil(2024, 1, 5), dataset.Civil(2024, 3, 1), dataset.Civil(2024, 1, 20)}}
	p, err := dataset.BuildPanel(tx, dataset.PanelOptions{Period: dataset.PeriodMonth, AsOf: dataset.NoDay, From: dataset.NoDay})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, FormatCSV, PanelTable(p, tx.IDs)); err != nil {
		t.Fatal(err)
	}
	if want := "customer_id,period,amount,transactions\na,2024-01-01,4,2\nb,2024-03-01,2,1\n"; b.String() != want {
		t.Errorf("got\n%s", b.String())
	}
}
