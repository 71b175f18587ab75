package alert

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/funnel"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// rlModel is a two-stage funnel whose deals typically spend 10 days qualified and 14 in proposal.
func rlModel() funnel.Model {
	return funnel.Model{
		Funnel: funnel.Funnel{Key: "sales", Won: "won", Lost: "lost", Stages: []funnel.Stage{
			{Key: "qualified", Name: "Qualified"}, {Key: "proposal"},
		}},
		Stages: []funnel.StageModel{
			{Advance: rlD("0.5"), Win: rlD("0.2"), Days: 10},
			{Advance: rlD("0.4"), Win: rlD("0.4"), Days: 14},
		},
		AvgWonValue: rlD("10000"), Currency: "EUR",
	}
}

// rlDeal returns a deal of unit that entered the given stages on the given days (alternating
// stage key and date).
func rlDeal(id, unit string, steps ...any) funnel.Deal {
	d := funnel.Deal{ID: id, Unit: unit, Value: rlD("10000"), Currency: "EUR"}
	for i := 0; i < len(steps); i += 2 {
		d.Transitions = append(d.Transitions, funnel.Transition{Stage: steps[i].(string), Date: steps[i+1].(date.Date)})
	}
	return d
}

func TestStagnationRule(t *testing.T) {
	asOf := date.New(2026, 9, 15)
	deals := []funnel.Deal{
		rlDeal("D-1", "rep-7", "qualified", date.New(2026, 7, 20), "proposal", date.New(2026, 8, 1)), // 45 days > 28
		rlDeal("D-2", "rep-7", "proposal", date.New(2026, 8, 10)),                                    // 36 days > 28
		rlDeal("D-3", "rep-7", "proposal", date.New(2026, 9, 1)),                                     // 14 days
		rlDeal("D-4", "rep-7", "qualified", date.New(2026, 8, 20)),                                   // 26 days > 20
		rlDeal("D-5", "rep-9", "qualified", date.New(2026, 9, 1)),                                    // 14 days
		rlDeal("D-6", "rep-9", "proposal", date.New(2026, 6, 1), "won", date.New(2026, 7, 1)),        // closed
		rlDeal("D-7", "rep-9", "proposal", date.New(2026, 7, 1)),                                     // 76 days > 28
	}
	samples, err := StagnationRule{}.Check(rlModel(), deals, asOf)
	require.NoError(t, err)
	type row struct {
		unit, metric, stage string
		active              bool
		value               int64
		message             string
	}
	var got []row
	for _, s := range samples {
		require.NoError(t, s.validate("sample"))
		require.Equal(t, RuleStagnation, s.Rule)
		require.True(t, s.Period.IsZero())
		require.Equal(t, "1", s.Threshold.String())
		got = append(got, row{s.Unit, s.Metric, s.Extra[LabelStage], s.Active, s.Value.IntPart(), s.Message})
	}
	require.Equal(t, []row{
		{"rep-7", "sales.qualified", "qualified", true, 1, "rep-7 has 1 deal in Qualified for more than 2× its typical 10 days as of 15 Sep 2026: D-4 (26 days)"},
		{"rep-7", "sales.proposal", "proposal", true, 2, "rep-7 has 2 deals in proposal for more than 2× its typical 14 days as of 15 Sep 2026: D-1 (45 days), D-2 (36 days)"},
		{"rep-9", "sales.proposal", "proposal", true, 1, "rep-9 has 1 deal in proposal for more than 2× its typical 14 days as of 15 Sep 2026: D-7 (76 days)"},
	}, got)

	// at 3× the typical stay only D-7 (76 > 42) and D-1 (45 > 42) remain; with MinDeals 2
	// neither pair is active, but both get a sample
	samples, err = StagnationRule{Name: "stuck", Multiple: rlD("3"), MinDeals: 2}.Check(rlModel(), deals, asOf)
	require.NoError(t, err)
	require.Len(t, samples, 2)
	for _, s := range samples {
		require.Equal(t, "stuck", s.Rule)
		require.False(t, s.Active)
		require.Equal(t, "2", s.Threshold.String())
		require.Equal(t, "1", s.Value.String())
	}
	require.Equal(t, "rep-7 has 1 deal in proposal for more than 3× its typical 14 days as of 15 Sep 2026: D-1 (45 days)", samples[0].Message)

	// nothing stalled: no samples, so earlier alerts resolve in the lifecycle
	samples, err = StagnationRule{}.Check(rlModel(), deals, date.New(2026, 7, 2))
	require.NoError(t, err)
	require.Empty(t, samples)
}

func TestStagnationRuleListsAtMostFive(t *testing.T) {
	var deals []funnel.Deal
	for i := range 8 {
		deals = append(deals, rlDeal(fmt.Sprintf("D-%d", i), "rep-1", "proposal", date.New(2026, 6, 1+i)))
	}
	samples, err := StagnationRule{}.Check(rlModel(), deals, date.New(2026, 9, 15))
	require.NoError(t, err)
	require.Len(t, samples, 1)
	require.Equal(t, "8", samples[0].Value.String())
	require.Equal(t, "rep-1 has 8 deals in proposal for more than 2× its typical 14 days as of 15 Sep 2026: D-0 (106 days), D-1 (105 days), D-2 (104 days), D-3 (103 days), D-4 (102 days) and 3 more", samples[0].Message)
}

func TestStagnationRuleInvalid(t *testing.T) {
	asOf := date.New(2026, 9, 15)
	_, err := StagnationRule{Multiple: rlD("-1")}.Check(rlModel(), nil, asOf)
	requireInvalid(t, err, "StagnationRule.Multiple")
	_, err = StagnationRule{MinDeals: -1}.Check(rlModel(), nil, asOf)
	requireInvalid(t, err, "StagnationRule.MinDeals")

	bad := rlModel()
	bad.Stages = bad.Stages[:1]
	_, err = StagnationRule{}.Check(bad, nil, asOf)
	require.ErrorIs(t, err, funnel.ErrInvalid)

	_, err = StagnationRule{}.Check(rlModel(), []funnel.Deal{rlDeal("D-1", "rep-1", "nowhere", asOf)}, asOf)
	require.ErrorIs(t, err, funnel.ErrNotFound)

	_, err = StagnationRule{}.Check(rlModel(), nil, 0)
	require.ErrorIs(t, err, funnel.ErrInvalid)
}
