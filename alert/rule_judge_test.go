package alert

import (
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// Property: Judge is Check without the message, and Describe is the message:
// the same sample, activity and error for goals of either direction, early
// and late in the period, judged or not (MinExpected, MinProgress, no
// pipeline), and for rules and statuses Check rejects (Describe is then "").
func TestJudgeAndDescribeAreCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	projections := []Projection{ProjectRunRate, ProjectPipeline, ProjectBest}
	for i := range 2000 {
		dir := goal.HigherIsBetter
		if r.IntN(3) == 0 {
			dir = goal.LowerIsBetter
		}
		asOf := rlQ3.Start + date.Date(r.IntN(rlQ3.Days()))
		m := rlRevenue
		m.Direction = dir
		s := rlTrack(t, m, "1000000.00", itoa(r.IntN(1_200_000)), asOf, kpi.Pace{})
		if r.IntN(2) == 0 {
			s.ProjectedWithPipeline = decimal.NewNullDecimal(decimal.NewFromInt(int64(r.IntN(1_500_000))))
		}
		if i%50 == 0 {
			s.Unit = "" // rejected
		}
		pace := PaceRule{Dispersion: 1 + 20000*r.Float64(), MinExpected: decimal.NewFromInt(int64(r.IntN(200_000)))}
		miss := ProjectedMissRule{Tolerance: decimal.NewFromInt(int64(r.IntN(20))).Shift(-2), Projection: projections[r.IntN(3)],
			MinProgress: decimal.NewFromInt(int64(r.IntN(60))).Shift(-2)}
		if i%70 == 0 {
			pace.Dispersion = 0 // rejected
		}

		want, wantErr := pace.Check(s)
		got, err := pace.Judge(s)
		require.Equal(t, wantErr, err)
		require.Empty(t, got.Message)
		got.Message = pace.Describe(s)
		require.Equal(t, want, got)

		want, wantErr = miss.Check(s)
		got, err = miss.Judge(s)
		require.Equal(t, wantErr, err)
		require.Empty(t, got.Message)
		got.Message = miss.Describe(s)
		require.Equal(t, want, got)
		if wantErr == nil {
			require.NotEmpty(t, got.Message)
		}
	}
}
