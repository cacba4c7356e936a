package render

import (
	"strconv"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
)

// MovementTable lays out a base-movement table (kpi.Movements) with the
// columns of clv kpi: period, group, opening_base, gross_adds, churners,
// net_adds, closing_base, churn_rate and, when withRevenue, revenue, arpu,
// arppu, paying_share, new_arpu, paying_subscribers.
func MovementTable(t *kpi.Table, withRevenue bool) *Table {
	n := len(t.Rows)
	period := make([]dataset.Day, n)
	group := make([]string, n)
	ints := make([][]int64, 6)
	for k := range ints {
		ints[k] = make([]int64, n)
	}
	floats := make([][]float64, 6)
	for k := range floats {
		floats[k] = make([]float64, n)
	}
	for i, r := range t.Rows {
		period[i], group[i] = r.Period, r.Group
		for k, v := range [...]int64{r.OpeningBase, r.GrossAdds, r.Churners, r.NetAdds, r.ClosingBase, r.Payers} {
			ints[k][i] = v
		}
		for k, v := range [...]float64{r.ChurnRate, r.Revenue, r.ARPU, r.ARPPU, r.PayingShare, r.NewARPU} {
			floats[k][i] = v
		}
	}
	cols := []Column{Dates("period", period), Strings("group", group),
		Ints("opening_base", ints[0]), Ints("gross_adds", ints[1]), Ints("churners", ints[2]),
		Ints("net_adds", ints[3]), Ints("closing_base", ints[4]), digits(Floats("churn_rate", floats[0]), 4)}
	if withRevenue {
		cols = append(cols, digits(Floats("revenue", floats[1]), 2), digits(Floats("arpu", floats[2]), 2),
			digits(Floats("arppu", floats[3]), 2), digits(Floats("paying_share", floats[4]), 4),
			digits(Floats("new_arpu", floats[5]), 2), Ints("paying_subscribers", ints[5]))
	}
	return &Table{Title: "Base movement per " + t.Options.Period.String(), Columns: cols}
}

// CohortTable lays out a cohort table (kpi.BuildCohorts) long: cohort,
// group (only when the table has groups), tenure, subscribers, active,
// survival (active / subscribers), censored and, when it was built with transactions, revenue,
// revenue_per_subscriber, arpu.
func CohortTable(c *kpi.Cohorts) *Table {
	n := len(c.Cells)
	cohort := make([]dataset.Day, n)
	group := make([]string, n)
	tenure, size, active, censored := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	retention, revenue, perSub, arpu := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range c.Cells {
		cohort[i], group[i], tenure[i] = r.Cohort, r.Group, int64(r.Tenure)
		size[i], active[i], censored[i] = r.Subscribers, r.Active, r.Censored
		retention[i], revenue[i], perSub[i], arpu[i] = r.Retention, r.Revenue, r.RevenuePerSubscriber, r.ARPU
	}
	cols := []Column{Dates("cohort", cohort)}
	if len(c.Groups) > 0 {
		cols = append(cols, Strings("group", group))
	}
	cols = append(cols, Ints("tenure", tenure), Ints("subscribers", size), Ints("active", active),
		digits(Floats("survival", retention), 4), Ints("censored", censored))
	if c.Revenue {
		cols = append(cols, digits(Floats("revenue", revenue), 2), digits(Floats("revenue_per_subscriber", perSub), 2),
			digits(Floats("arpu", arpu), 2))
	}
	return &Table{Title: "Cohorts by " + c.Options.Period.String() + " of activation", Columns: cols}
}

// CohortPivot lays out a pivoted cohort table wide: cohort, group (only
// with groups), subscribers, then one column per tenure named 1, 2, … holding
// the metric, empty where the cohort has not reached that tenure.
func CohortPivot(m *kpi.Matrix, grouped bool) *Table {
	n := len(m.Cohort)
	cols := []Column{Dates("cohort", m.Cohort)}
	if grouped {
		cols = append(cols, Strings("group", m.Group))
	}
	cols = append(cols, Ints("subscribers", m.Subscribers))
	for k := range m.Tenures {
		v := make([]string, n)
		for i := range n {
			if m.Present[i][k] {
				v[i] = strconv.FormatFloat(m.Values[i][k], 'f', -1, 64)
			}
		}
		cols = append(cols, Strings(strconv.Itoa(k+1), v))
	}
	return &Table{Title: "Cohorts: " + m.Metric.String() + " by tenure", Columns: cols}
}

func digits(c Column, d int) Column {
	c.Digits = d
	return c
}

// PanelTable lays out a customer × period panel long, one row per customer
// and period with at least one transaction: customer_id, period (first day
// of the period), amount (sum of the amounts), transactions (rows). Rows are
// ordered by customer (as in ids) and period.
func PanelTable(p *dataset.Panel, ids []string) *Table {
	var id []string
	var period []dataset.Day
	var amount []float64
	var count []int64
	for c := range p.Customers {
		cols, spend, counts := p.Cells(c)
		for k, j := range cols {
			if counts[k] == 0 {
				continue
			}
			id = append(id, ids[c])
			period = append(period, p.Period.Start(p.First+int(j)))
			amount = append(amount, spend[k])
			count = append(count, int64(counts[k]))
		}
	}
	return &Table{Title: "Spend per customer and " + p.Period.String(),
		Columns: []Column{Strings("customer_id", id), Dates("period", period), digits(Floats("amount", amount), 2), Ints("transactions", count)}}
}
