package read

import (
	"slices"
	"strings"
	"unicode"
)

// valueKind is the type a column is parsed as.
type valueKind uint8

const (
	kindID      valueKind = iota // customer id (text, not empty)
	kindDate                     // required date
	kindNumber                   // required number
	kindOptDate                  // date, empty = NoDay (churn)
	kindText                     // any text
)

// colSpec is one column a reader needs.
type colSpec struct {
	role     string   // "customer", "date", ... (Stats.Columns key)
	flag     string   // the command-line flag that names it ("" = none)
	synonyms []string // normalized header names tried in order
	optional bool     // absent column is allowed
	kind     valueKind
}

// tableKind says which table a spec reads.
type tableKind uint8

const (
	tableTransactions tableKind = iota
	tableSubscribers
	tableSummary
)

// tableSpec lists the columns of one kind of table. With attrs, every other
// column is kept as a text attribute (subscriber exports).
type tableSpec struct {
	kind  tableKind
	cols  []colSpec
	attrs bool
}

// Synonyms, normalized (see normalizeName). English first, then Chinese.
var (
	customerNames = []string{
		"customerid", "subscriberid", "id", "customer", "subscriber", "userid", "user", "clientid", "client",
		"accountid", "account", "custid", "cust", "memberid", "member", "msisdn",
		"用户id", "客户编号", "客户id", "用户编号", "客户号", "用户号", "会员id", "会员编号", "账户id", "账号",
		"用户号码", "手机号码", "手机号", "服务号码", "计费号码", "客户编码", "用户编码", "用户", "客户",
	}
	dateNames = []string{
		"date", "orderdate", "billdate", "transactiondate", "txndate", "purchasedate", "paymentdate",
		"invoicedate", "billmonth", "billingdate", "day", "month", "period",
		"日期", "账期", "交易日期", "消费日期", "订单日期", "账单日期", "缴费日期", "充值日期", "时间", "交易时间", "消费时间",
		"缴费时间", "充值时间", "出账日期", "账务月份", "统计月份", "月份",
	}
	amountNames = []string{
		"amount", "revenue", "value", "sales", "spend", "total", "totalamount", "price", "payment", "charge", "arpu",
		"金额", "消费金额", "交易金额", "订单金额", "收入", "实收金额", "账单金额", "缴费金额", "充值金额", "费用",
		"实收", "应收金额", "应收", "出账金额", "消费额", "账单费用", "月消费", "总费用",
	}
	activationNames = []string{
		"activationdate", "activation", "activationtime", "activated", "startdate", "signupdate", "joindate",
		"opendate", "subscriptiondate",
		"入网时间", "入网日期", "开户时间", "开户日期", "激活时间", "激活日期", "开通时间", "开通日期",
	}
	churnNames = []string{
		"churndate", "churn", "churntime", "churned", "enddate", "terminationdate", "canceldate",
		"cancellationdate", "deactivationdate", "closedate",
		"离网时间", "离网日期", "销户时间", "销户日期", "拆机时间", "拆机日期", "停机时间", "流失日期",
	}
)

// attrSynonyms gives Chinese header names of subscriber attribute columns
// the English name the analyses look for (--by plan, the report's profiles,
// the customer type in the value tables), normalized (see normalizeName).
var attrSynonyms = []struct {
	name     string
	synonyms []string
}{
	{"plan", []string{"套餐", "套餐名称", "主套餐", "资费套餐", "套餐名", "资费名称"}},
	{"customer_type", []string{"客户类型", "客户类别", "用户类型", "用户类别"}},
	{"region", []string{"地区", "区域", "所属地区", "所属区域", "归属地区", "归属区域"}},
	{"channel", []string{"渠道", "入网渠道", "发展渠道", "销售渠道", "渠道名称"}},
	{"account_manager", []string{"客户经理", "客户经理姓名", "客户经理工号"}},
	{"group", []string{"集团编号", "集团", "集团编码", "集团客户编号", "集团名称", "集团客户"}},
}

func transactionSpec() *tableSpec {
	return &tableSpec{kind: tableTransactions, cols: []colSpec{
		{role: "customer", flag: "--customer-col", synonyms: customerNames, kind: kindID},
		{role: "date", flag: "--date-col", synonyms: dateNames, kind: kindDate},
		{role: "amount", flag: "--amount-col", synonyms: amountNames, kind: kindNumber},
	}}
}

func subscriberSpec() *tableSpec {
	return &tableSpec{kind: tableSubscribers, attrs: true, cols: []colSpec{
		{role: "customer", flag: "--customer-col", synonyms: customerNames, kind: kindID},
		{role: "activation", flag: "--activation-col", synonyms: activationNames, kind: kindDate},
		{role: "churn", flag: "--churn-col", synonyms: churnNames, kind: kindOptDate, optional: true},
	}}
}

// Summary columns, in the order clv summarize writes them.
const (
	sumCustomer = iota
	sumFirst
	sumLast
	sumTransactions
	sumPeriods
	sumTotal
	sumMean
	sumRecency
	sumTenure
	sumX
	sumTx
	sumT
	sumMonetary
	sumActivation
)

func summarySpec() *tableSpec {
	num := func(role string, optional bool) colSpec {
		return colSpec{role: role, synonyms: []string{normalizeName(role)}, optional: optional, kind: kindNumber}
	}
	return &tableSpec{kind: tableSummary, cols: []colSpec{
		{role: "customer", flag: "--customer-col", synonyms: customerNames, kind: kindID},
		{role: "first_date", synonyms: []string{"firstdate"}, optional: true, kind: kindOptDate},
		{role: "last_date", synonyms: []string{"lastdate"}, optional: true, kind: kindOptDate},
		num("transactions", true),
		// transaction_days; the older name periods is still read.
		{role: "periods", synonyms: []string{"transactiondays", "periods"}, optional: true, kind: kindNumber},
		num("total_amount", true),
		num("mean_amount", true),
		num("recency_days", true),
		num("tenure_days", true),
		num("x", false),
		num("t_x", false),
		{role: "T", synonyms: []string{"t"}, kind: kindNumber},
		num("monetary", true),
		{role: "activation_date", synonyms: []string{"activationdate"}, optional: true, kind: kindOptDate},
	}}
}

// normalizeName folds case and drops spaces, underscores, hyphens and dots,
// so "Customer ID", "customer_id" and "CUSTOMER-ID" compare equal. A UTF-8
// BOM or surrounding quotes left in a header are dropped too.
func normalizeName(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '_' || r == '-' || r == '.' || r == '\u3000' || r == '"':
		case unicode.IsSpace(r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// columnMap is the result of matching a spec against a header.
type columnMap struct {
	header []string // header names as in the file
	index  []int    // per spec column: its position in the header, -1 when absent
	attrs  []int    // attribute columns (positions), in header order
	names  []string // per attribute column: its name (English for a Chinese synonym, else the header's)
	auto   []bool   // per spec column: found by auto-detection
}

// name returns the header name of spec column i ("" when absent).
func (m *columnMap) name(i int) string {
	if m.index[i] < 0 {
		return ""
	}
	return m.header[m.index[i]]
}

// flagValue returns the explicit column name for a spec column.
func flagValue(c *colSpec, opt *Options) string {
	switch c.role {
	case "customer":
		return opt.CustomerCol
	case "date":
		return opt.DateCol
	case "amount":
		return opt.AmountCol
	case "activation":
		return opt.ActivationCol
	case "churn":
		return opt.ChurnCol
	}
	return ""
}

// resolveColumns matches spec against header. It fails on an empty or
// duplicate header name, an explicitly named column that does not exist, or a
// required column that cannot be found. It reports auto-detected choices on
// opt.Notes and records the choices in stats.Columns.
func resolveColumns(file string, header []string, spec *tableSpec, opt *Options, stats *Stats) (*columnMap, error) {
	m := &columnMap{header: header, index: make([]int, len(spec.cols)), auto: make([]bool, len(spec.cols))}
	norm := make([]string, len(header))
	seen := make(map[string]int, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
			header[0] = h
		}
		if strings.TrimSpace(h) == "" {
			return nil, fileError(file, 1, "header: column %d has no name", i+1)
		}
		if j, ok := seen[h]; ok {
			return nil, fileError(file, 1, "header: duplicate column name %s (columns %d and %d)", quoteValue(clipName(h)), j+1, i+1)
		}
		seen[h] = i
		norm[i] = normalizeName(h)
	}
	// Positions of the header names that are some column's synonym, so
	// matching is one pass over the header however wide it is.
	synPos := map[string][]int{}
	for ci := range spec.cols {
		for _, syn := range spec.cols[ci].synonyms {
			synPos[syn] = nil
		}
	}
	for i, n := range norm {
		if ps, ok := synPos[n]; ok {
			synPos[n] = append(ps, i)
		}
	}
	used := make([]bool, len(header))
	for ci := range spec.cols {
		c := &spec.cols[ci]
		m.index[ci] = -1
		if want := flagValue(c, opt); want != "" {
			pos := -1
			for i, h := range header {
				if h == want {
					pos = i
					break
				}
			}
			if pos < 0 {
				nw := normalizeName(want)
				for i := range header {
					if norm[i] == nw {
						pos = i
						break
					}
				}
			}
			if pos < 0 {
				return nil, fileError(file, 1, "header: no column named %s (%s); columns are: %s", quoteValue(want), c.flag, listColumns(header))
			}
			m.index[ci] = pos
			used[pos] = true
			continue
		}
	}
	for ci := range spec.cols {
		c := &spec.cols[ci]
		if m.index[ci] >= 0 {
			continue
		}
		for _, syn := range c.synonyms {
			for _, i := range synPos[syn] {
				if !used[i] {
					m.index[ci] = i
					break
				}
			}
			if m.index[ci] >= 0 {
				break
			}
		}
		if m.index[ci] >= 0 {
			m.auto[ci] = true
			used[m.index[ci]] = true
			continue
		}
		if !c.optional {
			hint := ""
			if c.flag != "" {
				hint = "; name it with " + c.flag
			}
			if len(header) == 1 {
				hint = "; the header has a single column: check --delimiter"
			}
			return nil, fileError(file, 1, "header: no %s column found%s; columns are: %s", describeRole(c.role), hint, listColumns(header))
		}
	}
	if stats.Columns == nil {
		stats.Columns = make(map[string]string, len(spec.cols))
	}
	if spec.attrs {
		for i := range header {
			if !used[i] {
				m.attrs = append(m.attrs, i)
			}
		}
		var mapped []int
		m.names, mapped = attributeNames(header, norm, m.attrs)
		for _, k := range mapped {
			stats.Columns[m.names[k]] = header[m.attrs[k]]
		}
		if len(mapped) > 0 {
			desc := make([]string, len(mapped))
			for j, k := range mapped {
				desc[j] = m.names[k] + "=" + quoteName(header[m.attrs[k]])
			}
			opt.notef("%s: attribute columns %s (Chinese names read as English)", file, strings.Join(desc, ", "))
		}
	}
	var auto []string
	for ci := range spec.cols {
		if m.index[ci] < 0 {
			continue
		}
		stats.Columns[spec.cols[ci].role] = m.name(ci)
		if m.auto[ci] && spec.kind != tableSummary {
			desc := spec.cols[ci].role + "=" + quoteName(m.name(ci))
			var others []string
			for _, i := range otherMatches(spec.cols[ci].synonyms, synPos, used) {
				others = append(others, quoteName(header[i]))
			}
			if len(others) > 0 {
				desc += " (also possible: " + strings.Join(others, ", ") + ")"
			}
			auto = append(auto, desc)
		}
	}
	if len(auto) > 0 {
		opt.notef("%s: using columns %s (auto-detected)", file, strings.Join(auto, ", "))
	}
	return m, nil
}

// attributeNames names the attribute columns attrs (header positions): a
// header that is a Chinese synonym of an English attribute name (套餐 →
// plan) is named in English, unless the export already has a column of that
// name or an earlier synonym took it (地区 and 区域 both present: the first
// in synonym order becomes region, the other keeps its name). It returns the
// names and the indices into attrs of the renamed columns, in header order.
func attributeNames(header, norm []string, attrs []int) ([]string, []int) {
	names := make([]string, len(attrs))
	taken := make(map[string]bool, len(attrs))
	for k, i := range attrs {
		names[k] = header[i]
		taken[norm[i]] = true
	}
	var mapped []int
	for _, a := range attrSynonyms {
		if taken[normalizeName(a.name)] {
			continue
		}
	synonyms:
		for _, syn := range a.synonyms {
			for k, i := range attrs {
				if norm[i] == syn && names[k] == header[i] {
					names[k] = a.name
					taken[normalizeName(a.name)] = true
					mapped = append(mapped, k)
					break synonyms
				}
			}
		}
	}
	slices.Sort(mapped)
	return names, mapped
}

// otherMatches returns the positions of unused header names that are also
// synonyms of a role (candidates the auto-detection passed over), in header
// order; synPos maps a synonym to the header positions holding it.
func otherMatches(synonyms []string, synPos map[string][]int, used []bool) []int {
	var out []int
	for _, syn := range synonyms {
		for _, i := range synPos[syn] {
			if !used[i] && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return out
}

func describeRole(role string) string {
	switch role {
	case "customer":
		return "customer id"
	case "date":
		return "transaction date"
	case "amount":
		return "amount"
	case "activation":
		return "activation date"
	case "churn":
		return "churn date"
	}
	return "\"" + role + "\""
}

func quoteName(s string) string {
	s = clipName(s)
	if strings.ContainsAny(s, " ,\"") {
		return "\"" + strings.ReplaceAll(s, "\"", "\"\"") + "\""
	}
	return s
}
