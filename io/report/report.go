package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/clvkit/clv/io/lang"

	"github.com/clvkit/clv/io/render"
)

// Report is a whole document.
type Report struct {
	Title string
	// Subtitle is one line under the title (data, as-of day, settings).
	Subtitle string
	Sections []Section
	// Footer is a closing line (how the report was made).
	Footer string
	// Lang is the HTML lang attribute ("" = "en"); "zh-CN" also adds a
	// Chinese font stack to the CSS.
	Lang string
	// Headings maps a column name to its heading (nil, or a name not in it:
	// the name with underscores as spaces).
	Headings map[string]string
	// Yes is the text of a true bool cell ("" = "yes"); ChartNote the
	// Markdown line standing for a chart, a format with the caption as its
	// argument ("" = "*Chart (in the HTML report): %s.*").
	Yes, ChartNote string
}

// Section is a titled part of a report, listed in the table of contents.
type Section struct {
	Title string
	// ID is the anchor of the section (derived from Title when empty).
	ID     string
	Blocks []Block
}

// Block is one element of a section; exactly one field is set.
type Block struct {
	// Text is a paragraph of plain text. Lines starting with "- " form a
	// list; **bold** and `code` spans are kept in Markdown and rendered in
	// HTML.
	Text string
	// Figures are key numbers shown side by side.
	Figures []Figure
	// Table is a data table; its Title is shown as a caption.
	Table *render.Table
	// Chart is an image.
	Chart *Chart
	// Note is a small-print remark (assumptions, units, what is missing).
	Note string
}

// Figure is a key number with a label and an optional detail line.
type Figure struct {
	Label, Value, Detail string
}

// Chart is an SVG image with a caption and a text alternative.
type Chart struct {
	Caption string
	Alt     string
	SVG     []byte
}

// Paragraph returns a text block.
func Paragraph(format string, args ...any) Block { return Block{Text: fmt.Sprintf(format, args...)} }

// anchor derives an id from a title: lower-case letters and digits, other
// runs of characters replaced by "-".
func anchor(s Section, k int) string {
	if s.ID != "" {
		return s.ID
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s.Title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "section-" + strconv.Itoa(k+1)
	}
	return b.String()
}

// isPercent reports whether a float column is shown as a percentage.
func isPercent(name string) bool {
	for _, suf := range []string{"share", "_pct", "_rate", "probability"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// FormatFloat formats v with d decimals and thousands separators; "-0.00"
// becomes "0.00".
func FormatFloat(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		s = s[1:]
	}
	return lang.Group(s)
}

// FormatInt formats v with thousands separators.
func FormatInt(v int64) string { return lang.Group(strconv.FormatInt(v, 10)) }

// FormatPercent formats a share as a percentage with one decimal.
func FormatPercent(v float64) string { return FormatFloat(100*v, 1) + "%" }

// cellText formats row r of column c for display, and whether it is numeric.
func (rep *Report) cellText(c *render.Column, r int) (string, bool) {
	if c.Kind == render.KindBool && c.Bools[r] && rep.Yes != "" {
		return rep.Yes, false
	}
	return cellText(c, r)
}

func cellText(c *render.Column, r int) (string, bool) {
	switch c.Kind {
	case render.KindInt:
		return FormatInt(c.Int(r)), true
	case render.KindFloat:
		v := c.Floats[r]
		if isPercent(c.Name) {
			return FormatPercent(v), true
		}
		d := c.Digits
		if d < 0 {
			d = 0
		} else if d == 0 {
			d = 2
			if v == math.Trunc(v) && math.Abs(v) >= 1000 {
				d = 0
			}
		}
		return FormatFloat(v, d), true
	case render.KindDate:
		return c.Dates[r].String(), false
	case render.KindBool:
		if c.Bools[r] {
			return "yes", false
		}
		return "", false
	}
	return c.String(r), false
}

// header turns a column name into a heading: underscores become spaces.
func header(name string) string { return strings.ReplaceAll(name, "_", " ") }

// heading is the heading of a column: from Headings, else header.
func (rep *Report) heading(name string) string {
	if h, ok := rep.Headings[name]; ok {
		return h
	}
	return header(name)
}

// validate checks every table of r before anything is written.
func (r *Report) validate() error {
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			if b.Table != nil {
				if err := b.Table.Validate(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// WriteMarkdown writes r as GitHub-flavoured Markdown.
func WriteMarkdown(w io.Writer, r *Report) error {
	if err := r.validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", r.Title)
	if r.Subtitle != "" {
		fmt.Fprintf(bw, "%s\n\n", r.Subtitle)
	}
	if len(r.Sections) > 1 {
		for k, s := range r.Sections {
			fmt.Fprintf(bw, "%d. [%s](#%s)\n", k+1, s.Title, anchor(s, k))
		}
		bw.WriteString("\n")
	}
	for k, s := range r.Sections {
		fmt.Fprintf(bw, "## %d. %s\n\n", k+1, s.Title)
		for _, b := range s.Blocks {
			switch {
			case b.Text != "":
				fmt.Fprintf(bw, "%s\n\n", b.Text)
			case b.Figures != nil:
				bw.WriteString("| | |\n|---|---:|\n")
				for _, f := range b.Figures {
					v := "**" + mdEscape(f.Value) + "**"
					if f.Detail != "" {
						v += " (" + mdEscape(f.Detail) + ")"
					}
					fmt.Fprintf(bw, "| %s | %s |\n", mdEscape(f.Label), v)
				}
				bw.WriteString("\n")
			case b.Table != nil:
				r.writeMarkdownTable(bw, b.Table)
			case b.Chart != nil:
				note := r.ChartNote
				if note == "" {
					note = "*Chart (in the HTML report): %s.*"
				}
				fmt.Fprintf(bw, note+"\n\n", b.Chart.Caption)
			case b.Note != "":
				fmt.Fprintf(bw, "> %s\n\n", strings.ReplaceAll(b.Note, "\n", "\n> "))
			}
		}
	}
	if r.Footer != "" {
		fmt.Fprintf(bw, "---\n\n%s\n", r.Footer)
	}
	return bw.Flush()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func (rep *Report) writeMarkdownTable(bw *bufio.Writer, t *render.Table) {
	if t.Title != "" {
		fmt.Fprintf(bw, "**%s**\n\n", mdEscape(t.Title))
	}
	bw.WriteString("|")
	for _, c := range t.Columns {
		fmt.Fprintf(bw, " %s |", mdEscape(rep.heading(c.Name)))
	}
	bw.WriteString("\n|")
	for _, c := range t.Columns {
		if c.Kind == render.KindInt || c.Kind == render.KindFloat {
			bw.WriteString("---:|")
		} else {
			bw.WriteString("---|")
		}
	}
	bw.WriteString("\n")
	for r := 0; r < t.Rows(); r++ {
		bw.WriteString("|")
		for i := range t.Columns {
			s, _ := rep.cellText(&t.Columns[i], r)
			fmt.Fprintf(bw, " %s |", mdEscape(s))
		}
		bw.WriteString("\n")
	}
	bw.WriteString("\n")
}

// inline renders **bold** and `code` spans of escaped text.
func inline(s string) string {
	e := html.EscapeString(s)
	var b strings.Builder
	bold, code := false, false
	for i := 0; i < len(e); i++ {
		switch {
		case e[i] == '`':
			if code {
				b.WriteString("</code>")
			} else {
				b.WriteString("<code>")
			}
			code = !code
		case !code && strings.HasPrefix(e[i:], "**"):
			if bold {
				b.WriteString("</strong>")
			} else {
				b.WriteString("<strong>")
			}
			bold = !bold
			i++
		default:
			b.WriteByte(e[i])
		}
	}
	if code {
		b.WriteString("</code>")
	}
	if bold {
		b.WriteString("</strong>")
	}
	return b.String()
}

// paragraphHTML renders a text block: "- " lines as a list, others as paragraphs.
func paragraphHTML(bw *bufio.Writer, text string) {
	lines := strings.Split(text, "\n")
	inList := false
	var para []string
	flush := func() {
		if len(para) > 0 {
			fmt.Fprintf(bw, "<p>%s</p>\n", inline(strings.Join(para, " ")))
			para = nil
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "- ") {
			flush()
			if !inList {
				bw.WriteString("<ul>\n")
				inList = true
			}
			fmt.Fprintf(bw, "<li>%s</li>\n", inline(l[2:]))
			continue
		}
		if inList {
			bw.WriteString("</ul>\n")
			inList = false
		}
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		para = append(para, l)
	}
	if inList {
		bw.WriteString("</ul>\n")
	}
	flush()
}

// WriteHTML writes r as one self-contained HTML file.
func WriteHTML(w io.Writer, r *Report) error {
	if err := r.validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	e := html.EscapeString
	tag := r.Lang
	if tag == "" {
		tag = "en"
	}
	style := css
	if strings.HasPrefix(tag, "zh") {
		style += cssChinese
	}
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", e(tag))
	bw.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(bw, "<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", e(r.Title), style)
	fmt.Fprintf(bw, "<header>\n<h1>%s</h1>\n", e(r.Title))
	if r.Subtitle != "" {
		fmt.Fprintf(bw, "<p class=\"subtitle\">%s</p>\n", inline(r.Subtitle))
	}
	bw.WriteString("</header>\n")
	if len(r.Sections) > 1 {
		bw.WriteString("<nav><ol>\n")
		for k, s := range r.Sections {
			fmt.Fprintf(bw, "<li><a href=\"#%s\">%s</a></li>\n", anchor(s, k), e(s.Title))
		}
		bw.WriteString("</ol></nav>\n")
	}
	for k, s := range r.Sections {
		fmt.Fprintf(bw, "<section id=\"%s\">\n<h2><span class=\"num\">%d</span>%s</h2>\n", anchor(s, k), k+1, e(s.Title))
		for _, b := range s.Blocks {
			switch {
			case b.Text != "":
				paragraphHTML(bw, b.Text)
			case b.Figures != nil:
				bw.WriteString("<div class=\"figures\">\n")
				for _, f := range b.Figures {
					fmt.Fprintf(bw, "<div class=\"figure\"><div class=\"value\">%s</div><div class=\"label\">%s</div>", e(f.Value), e(f.Label))
					if f.Detail != "" {
						fmt.Fprintf(bw, "<div class=\"detail\">%s</div>", e(f.Detail))
					}
					bw.WriteString("</div>\n")
				}
				bw.WriteString("</div>\n")
			case b.Table != nil:
				r.writeHTMLTable(bw, b.Table)
			case b.Chart != nil:
				fmt.Fprintf(bw, "<figure role=\"img\" aria-label=\"%s\">\n", e(b.Chart.Alt))
				bw.Write(stripXMLHeader(b.Chart.SVG))
				fmt.Fprintf(bw, "\n<figcaption>%s</figcaption>\n</figure>\n", e(b.Chart.Caption))
			case b.Note != "":
				fmt.Fprintf(bw, "<p class=\"note\">%s</p>\n", inline(b.Note))
			}
		}
		bw.WriteString("</section>\n")
	}
	if r.Footer != "" {
		fmt.Fprintf(bw, "<footer>%s</footer>\n", inline(r.Footer))
	}
	bw.WriteString("</main>\n</body>\n</html>\n")
	return bw.Flush()
}

func (rep *Report) writeHTMLTable(bw *bufio.Writer, t *render.Table) {
	bw.WriteString("<div class=\"table\"><table>\n")
	if t.Title != "" {
		fmt.Fprintf(bw, "<caption>%s</caption>\n", html.EscapeString(t.Title))
	}
	bw.WriteString("<thead><tr>")
	for _, c := range t.Columns {
		cls := ""
		if c.Kind == render.KindInt || c.Kind == render.KindFloat {
			cls = " class=\"n\""
		}
		fmt.Fprintf(bw, "<th%s>%s</th>", cls, html.EscapeString(rep.heading(c.Name)))
	}
	bw.WriteString("</tr></thead>\n<tbody>\n")
	for r := 0; r < t.Rows(); r++ {
		bw.WriteString("<tr>")
		for i := range t.Columns {
			s, num := rep.cellText(&t.Columns[i], r)
			if num {
				fmt.Fprintf(bw, "<td class=\"n\">%s</td>", html.EscapeString(s))
			} else {
				fmt.Fprintf(bw, "<td>%s</td>", html.EscapeString(s))
			}
		}
		bw.WriteString("</tr>\n")
	}
	bw.WriteString("</tbody></table></div>\n")
}

// stripXMLHeader drops an <?xml ...?> prolog and DOCTYPE so the SVG can be
// inlined in HTML.
func stripXMLHeader(svg []byte) []byte {
	s := string(svg)
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if strings.HasPrefix(s, "<?") || strings.HasPrefix(s, "<!") {
			if i := strings.IndexByte(s, '>'); i >= 0 {
				s = s[i+1:]
				continue
			}
		}
		break
	}
	return []byte(s)
}

const css = `:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #0b5394; --band: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
nav ol { columns: 2; margin: 0 0 8px; padding-left: 22px; color: var(--muted); }
nav a { color: var(--accent); text-decoration: none; }
section { margin-top: 28px; }
h2 { font-size: 21px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h2 .num { display: inline-block; min-width: 28px; color: var(--accent); }
p { margin: 8px 0; max-width: 900px; }
ul { margin: 6px 0 10px; padding-left: 22px; max-width: 900px; }
.note { color: var(--muted); font-size: 13px; border-left: 3px solid var(--line); padding-left: 10px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.figure { flex: 1 1 160px; background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.figure .value { font-size: 22px; font-weight: 600; color: var(--accent); font-variant-numeric: tabular-nums; }
.figure .label { font-size: 13px; color: var(--ink); }
.figure .detail { font-size: 12px; color: var(--muted); }
.table { overflow-x: auto; margin: 10px 0 16px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; color: var(--ink); }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th, td.n { white-space: nowrap; }
code { font: 13px ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; background: var(--band); padding: 1px 4px; border-radius: 3px; }
th { background: var(--band); font-weight: 600; border-bottom: 2px solid var(--line); }
td.n, th.n { text-align: right; }
tbody tr:nth-child(even) { background: #fbfcfd; }
figure { margin: 12px 0 20px; }
figure svg { max-width: 100%; height: auto; }
figure svg text { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif !important; }
figcaption { color: var(--muted); font-size: 13px; }
footer { margin-top: 40px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
@media print { main { max-width: none; padding: 0; } section { break-inside: avoid-page; } }
`

// cssChinese sets a Chinese font stack (body text and chart labels) and
// lets long Chinese headings wrap; added when Lang is zh.
const cssChinese = `body, figure svg text { font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", -apple-system, "Segoe UI", Roboto, Arial, sans-serif !important; }
code { font-family: ui-monospace, Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; }
p, ul { max-width: 960px; }
h2 .num { margin-right: 8px; }
`
