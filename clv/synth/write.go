package synth

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
)

// SubscribersHeader is the header line of the subscriber export.
const SubscribersHeader = "subscriber_id,activation_date,churn_date,plan,customer_type,region"

// TransactionsHeader is the header line of the transaction export.
const TransactionsHeader = "subscriber_id,date,amount"

// WriteSubscribers writes the subscriber export as CSV (header
// SubscribersHeader; dates as 2006-01-02, an empty churn date for an active
// subscriber; LF line ends).
func (b *Base) WriteSubscribers(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(SubscribersHeader)
	bw.WriteByte('\n')
	s := &b.Subscribers
	line := make([]byte, 0, 128)
	for i, id := range s.ID {
		line = append(line[:0], id...)
		line = append(line, ',')
		line = s.Activation[i].AppendISO(line)
		line = append(line, ',')
		if s.Churn[i] != dataset.NoDay {
			line = s.Churn[i].AppendISO(line)
		}
		for k := range s.AttrNames {
			line = append(line, ',')
			line = appendField(line, s.Attrs[k][i])
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteTransactions writes the transaction export as CSV (header
// TransactionsHeader; amounts with two decimals; LF line ends).
func (b *Base) WriteTransactions(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(TransactionsHeader)
	bw.WriteByte('\n')
	t := &b.Transactions
	line := make([]byte, 0, 64)
	for k, c := range t.Customer {
		line = append(line[:0], t.IDs[c]...)
		line = append(line, ',')
		line = t.Day[k].AppendISO(line)
		line = append(line, ',')
		line = strconv.AppendFloat(line, t.Amount[k], 'f', 2, 64)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendField appends s to line, quoted as RFC 4180 requires when it holds a
// comma, quote or line break.
func appendField(line []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(line, s...)
	}
	line = append(line, '"')
	line = append(line, strings.ReplaceAll(s, `"`, `""`)...)
	return append(line, '"')
}
