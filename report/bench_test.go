package report_test

import (
	"io"
	"testing"

	"github.com/goalkit/goalkit/report"
)

// BenchmarkRender renders the sample report (7 burn-up points, a 3-stage
// funnel, a 2 × 6 heat map) in Chinese.
func BenchmarkRender(b *testing.B) {
	d := sample()
	b.ReportAllocs()
	for b.Loop() {
		if err := report.Render(io.Discard, d, report.Chinese); err != nil {
			b.Fatal(err)
		}
	}
}
