package read

import (
	"os"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func BenchmarkAccFile(b *testing.B) {
	f := os.Getenv("ACCFILE")
	if f == "" {
		b.Skip()
	}
	for b.Loop() {
		_, _, err := Accumulate(f, Options{}, dataset.NoDay)
		if err != nil {
			b.Fatal(err)
		}
	}
}
