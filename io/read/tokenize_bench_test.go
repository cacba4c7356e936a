package read

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkTokenizePlain tokenizes 1 MB blocks of quote-free records of
// three and of eight fields (a transaction export, a wider table).
func BenchmarkTokenizePlain(b *testing.B) {
	for _, fields := range []int{3, 8} {
		var sb strings.Builder
		for i := 0; sb.Len() < 1<<20; i++ {
			fmt.Fprintf(&sb, "S%09d,2024-01-%02d,%d.%02d", i, 1+i%28, i%500, i%100)
			for k := 3; k < fields; k++ {
				fmt.Fprintf(&sb, ",field%d", i%1000)
			}
			sb.WriteByte('\n')
		}
		buf := []byte(sb.String())
		b.Run(fmt.Sprintf("fields=%d", fields), func(b *testing.B) {
			var tk tokenizer
			tk.delim = ','
			var r record
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				tk.reset(buf, 1)
				for tk.next(&r) {
				}
			}
		})
	}
}
