// Package read turns transaction, subscriber and per-customer summary exports
// into the columnar tables of package dataset.
//
// Inputs are CSV/TSV files with a header (delimiter sniffed from the header
// among , TAB ; | unless given), RFC 4180 quoting, CRLF line ends and an
// optional UTF-8 byte-order mark; gzip-compressed files (".gz" or the gzip
// magic bytes); "-" for standard input; GBK/GB18030 text (Chinese Excel
// exports) decoded before parsing; and Parquet files or folders of Parquet
// files (see parquet.go).
//
// Columns are found by name: an explicit name from Options, or else the
// first header that matches a list of common English and Chinese synonyms
// (customer_id, subscriber_id, 用户ID, 客户编号, 手机号码, 用户号码; date,
// 账期, 缴费日期, 交易日期; amount, 金额, 实收, 账单金额, …), compared without case,
// spaces, underscores, hyphens or dots. Chosen columns are reported on
// Options.Notes. Subscriber attribute columns keep their header names, except
// the Chinese names of the attributes the analyses know (套餐/套餐名称 → plan,
// 客户类型/客户类别 → customer_type, 地区/区域/所属区域 → region, 渠道/入网渠道
// → channel, 客户经理 → account_manager, 集团编号/集团编码/集团 → group; the
// full lists are in columns.go), which are read under the English
// name (noted, and recorded in Stats.Columns) unless the export already has
// that column.
//
// Values:
//
//   - Customer ids are text, surrounding spaces removed; an empty id is an
//     error. Ids are interned to dense int32 indices in order of first
//     appearance in the file.
//   - Dates: 2006-01-02, 20060102, 2006/01/02, 2006-01, 2006/01 and 200601
//     (a bill month, 账期, read as its first day), 2006-1-2, 2006/1/2, 2006.1.2 and 2006年1月2日 (month and
//     day of one or two digits, as spreadsheets write dates in Chinese
//     locales), and RFC 3339 timestamps (also with a space instead of
//     the T), read as the calendar date written in the timestamp (the offset
//     is not applied). Options.DateFormat (a Go time layout) replaces the
//     automatic formats. Impossible dates (2024-02-30) are errors.
//   - Amounts: plain decimal numbers with an optional sign and exponent, read
//     with exact (correctly rounded) float64 conversion. Thousands separators,
//     decimal commas, currency symbols, NaN and infinities are errors, never
//     silently reinterpreted. Zero and negative amounts (refunds) are valid.
//
// Strictness: a bad row (wrong number of fields, empty id, unparseable or
// impossible date, unparseable amount) stops the read with an *Error such as
//
//	tx.csv:57: column "amount": cannot parse "12,5x" as a number
//
// whose line is the physical line of the file (line 1 is the header). With
// Options.MaxErrors = N up to N bad rows are skipped instead and written to
// Options.Rejects as CSV (line, reason, raw); Stats then satisfies
// Rows = Accepted + Rejected. The row that stops a read (the first bad row,
// or the one past MaxErrors) is written to Options.Rejects too. Every data
// error wraps ErrBadInput.
//
// Bounds: a record (and so any field) longer than Options.MaxLineBytes
// (default 16 MiB) stops the read with FILE:LINE after reading at most that
// much of it, whatever MaxErrors says (a binary file, a missing line break,
// a quote that never closes); the header too. Messages quote at most 200
// bytes of a value and list at most 20 column names of 64 bytes each, so a
// 1 GB line or a ten-million-column header gives a message of a few hundred
// bytes.
//
// Encoding: Options.Encoding "" detects it from the first 64 KiB of text:
// UTF-8 (with or without a byte-order mark), else GB18030 (GBK is a subset)
// when the text is valid GB18030 with its multi-byte characters mostly in
// the GB2312 area, else UTF-8. A choice other than plain UTF-8 is noted. A
// GBK/GB18030 decoding that produces a replacement or control character
// (the file is not in that encoding) stops the read at that line.
//
// Parquet: the rows decoded from each file are checked against its footer's
// row count (a corrupt page type makes the decoder skip a page silently),
// decoding more rows than declared stops at once, and the footer's counts
// and column chunks are checked before decoding; each is an error naming
// the file.
//
// Performance: transaction files are read in one streaming pass. A reader
// goroutine cuts the text into blocks of complete records (at the last line
// break, or, in a block that contains a double quote, at the last record end
// found by a quote-aware scan, so a quoted line break never splits a
// record); several goroutines parse blocks in parallel with hand-written
// field, date and number parsing (the RFC 4180 path only for blocks with
// quotes) and hash each customer id once. Interning is hash-partitioned:
// the ids of a block are grouped by the top bits of their hash, and the
// in-order consumer interns a batch of blocks one partition at a time (the
// partitions shared out among goroutines), so each partition's small
// open-addressing table (keyed on the id bytes, no string or map entry per
// row) stays in cache even when the rows of a customer are scattered over
// the file (date-ordered billing exports). An id of up to 15 bytes (nearly
// every customer id) travels as two words with its length (idkey.go):
// copied, compared and hashed as words, never byte by byte; a block's rows
// are one array of fixed-size records, grouped by partition with a counting
// sort. On millions of customers the
// tables outgrow the caches and nearly every row misses them several times
// in a row (slot, key, accumulator); the streaming lanes then prefetch
// those lines rows ahead of the row being added (ahead.go; PREFETCHT0 on
// amd64, no-op elsewhere). Ids are finally renumbered by first appearance
// in the file (a bit per row marks each first row, and a customer's place
// is the count of marks before its own), so the result does not depend on
// the number of goroutines. Parquet transaction files of the
// usual shape (a string id, a DATE date, a DOUBLE amount, flat, no nulls)
// are decoded a row group at a time, row groups in parallel, from their
// pages (parquet_groups.go, parquet_pages.go: PLAIN and dictionary pages,
// v1 and v2): the dictionary indices are read directly, each distinct id
// of a row group is hashed once and interned by the in-order reader
// through the same tables; from a row group this path cannot take (a null,
// another encoding) the rest of the file goes through the Arrow layer,
// whose rows are handed over one at a time. Rows are stored as parallel
// slices (customer, day, amount). Bad rows are reported in file order
// whatever the parallelism.
//
// Streaming (Accumulate): for analyses that need only the per-customer
// summary, the rows are not kept. The interning goroutines add each row to
// its customer's accumulator (dataset.Acc: first and last day, rows,
// distinct days, total, amount of the repeat days) within the customer's
// partition, so memory grows with the customers, not the rows (7.5 M
// customers from 100 M rows: about 1.1 GB in all, against 3.3 GB keeping
// the rows). A row dated up to 31 days before its customer's latest row so
// far is still counted exactly (dataset.Window). A customer with a row
// further back in time cannot count its distinct days on the fly; the
// first pass flags such customers and a second pass over the input gathers
// their rows only (none for a date- or customer-ordered export, or one
// whose rows are shuffled within a month; nearly all for a shuffled one),
// so the summary equals the one built from every row, value for value.
// Standard input and Dedupe fall back to reading the rows. Parquet row
// groups go to the accumulators as above (a third goroutine adds the rows
// of one piece while the reader interns the next); Arrow batches of
// dictionary string ids, date32 dates and float64 amounts without nulls
// skip the per-row path too: each dictionary entry is hashed and interned
// once, and rows map their dictionary index to the customer.
package read
