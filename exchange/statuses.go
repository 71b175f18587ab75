package exchange

import (
	"io"

	"github.com/goalkit/goalkit/kpi"
)

// statusCodec writes goal statuses, one a row: goal, unit, period, start,
// end, as_of, target, actual, attainment, time_progress, gap, expected,
// remaining, projected (empty where a figure is undefined, e.g. the
// attainment of a zero target). Statuses are output only.
var statusCodec = &codec[kpi.Status]{
	required: []string{"goal", "unit", "period", "start", "end", "as_of", "target", "actual", "attainment",
		"time_progress", "gap", "expected", "remaining", "projected"},
	toCSV: func(s kpi.Status, row []string) []string {
		return append(row, s.Goal, s.Unit, s.Period.Label, s.Period.Start.String(), s.Period.End.String(), s.AsOf.String(),
			fixed(s.Target), fixed(s.Actual), fixedNull(s.Attainment), fixed(s.TimeProgress), fixedNull(s.Gap),
			fixed(s.Expected), fixed(s.Remaining), fixedNull(s.Projected))
	},
}

// NewStatusWriter writes goal statuses (Engine.Statuses) to w.
func NewStatusWriter(w io.Writer, f Format) *Writer[kpi.Status] {
	return newWriter(w, f, statusCodec)
}
