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
	toJSON: func(s kpi.Status) any {
		// Every decimal with its places ("1200.50", "1.000000"), as in CSV.
		return struct {
			kpi.Status
			Target                string  `json:"target"`
			Actual                string  `json:"actual"`
			Attainment            *string `json:"attainment"`
			TimeProgress          string  `json:"time_progress"`
			Gap                   *string `json:"gap"`
			Expected              string  `json:"expected"`
			AheadBy               string  `json:"ahead_by"`
			Remaining             string  `json:"remaining"`
			RequiredRunRate       *string `json:"required_run_rate"`
			Projected             *string `json:"projected"`
			ProjectedLinear       *string `json:"projected_linear"`
			ProjectedWithPipeline *string `json:"projected_with_pipeline"`
			ProjectedAttainment   *string `json:"projected_attainment"`
		}{s, fixed(s.Target), fixed(s.Actual), nullText(s.Attainment), fixed(s.TimeProgress), nullText(s.GapRate),
			fixed(s.Expected), fixed(s.AheadBy), fixed(s.Remaining), nullText(s.RequiredRunRate), nullText(s.Projected),
			nullText(s.ProjectedLinear), nullText(s.ProjectedWithPipeline), nullText(s.ProjectedAttainment)}
	},
	toCSV: func(s kpi.Status, row []string) []string {
		return append(row, s.Goal, s.Unit, s.Period.Label, s.Period.Start.String(), s.Period.End.String(), s.AsOf.String(),
			fixed(s.Target), fixed(s.Actual), fixedNull(s.Attainment), fixed(s.TimeProgress), fixedNull(s.GapRate),
			fixed(s.Expected), fixed(s.Remaining), fixedNull(s.Projected))
	},
}

// NewStatusWriter writes goal statuses (Engine.Statuses) to w.
func NewStatusWriter(w io.Writer, f Format) *Writer[kpi.Status] {
	return newWriter(w, f, statusCodec)
}
