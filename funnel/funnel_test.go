package funnel

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestFunnelValidate(t *testing.T) {
	prob := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	tests := []struct {
		name   string
		edit   func(*Funnel)
		reason string // substring of the error; empty means valid
	}{
		{"valid", func(*Funnel) {}, ""},
		{"no invalid outcome is fine", func(f *Funnel) { f.Invalid = "" }, ""},
		{"chinese keys", func(f *Funnel) {
			f.Stages = []Stage{{Key: "线索"}, {Key: "商机"}}
			f.Won, f.Lost, f.Invalid = "赢单", "输单", "无效"
		}, ""},
		{"host probabilities", func(f *Funnel) { f.Stages[0].Probability = prob("0.2"); f.Stages[2].Probability = prob("1") }, ""},
		{"empty key", func(f *Funnel) { f.Key = "" }, "key is empty"},
		{"no stages", func(f *Funnel) { f.Stages = nil }, "no stages"},
		{"empty stage key", func(f *Funnel) { f.Stages[1].Key = "" }, "empty key"},
		{"duplicate stage", func(f *Funnel) { f.Stages[2].Key = "lead" }, "uses it twice"},
		{"no won", func(f *Funnel) { f.Won = "" }, "no won outcome"},
		{"no lost", func(f *Funnel) { f.Lost = "" }, "no lost outcome"},
		{"won is a stage", func(f *Funnel) { f.Won = "proposal" }, "as the won outcome and as stage #2"},
		{"lost equals won", func(f *Funnel) { f.Lost = "won" }, "as the lost outcome and as the won outcome"},
		{"invalid equals lost", func(f *Funnel) { f.Invalid = "lost" }, "distinct"},
		{"probability as percent", func(f *Funnel) { f.Stages[1].Probability = prob("30") }, "0.3, not 30"},
		{"negative probability", func(f *Funnel) { f.Stages[1].Probability = prob("-0.1") }, "fraction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := salesFunnel()
			tt.edit(&f)
			err := f.Validate()
			if tt.reason == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalid)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			require.Contains(t, err.Error(), tt.reason)
		})
	}
}

func TestFunnelMetrics(t *testing.T) {
	f := salesFunnel()
	f.Stages[0].Metric = "new_leads"
	require.Equal(t, "new_leads", f.StageMetric(0))
	require.Equal(t, "sales.qualified", f.StageMetric(1))
	require.Equal(t, "", f.StageMetric(3))
	require.Equal(t, "sales.won", f.WonMetric())
	i, ok := f.StageIndex("proposal")
	require.True(t, ok)
	require.Equal(t, 2, i)
	_, ok = f.StageIndex("won")
	require.False(t, ok, "outcomes are not stages")
}

func TestDealValidate(t *testing.T) {
	f := salesFunnel()
	tests := []struct {
		name   string
		deal   Deal
		is     error
		reason string
	}{
		{"valid", deal(t, "d", "u", "10", "lead@2026-01-01", "proposal@2026-01-05", "won@2026-01-05"), nil, ""},
		{"entered at an outcome", deal(t, "d", "u", "10", "won@2026-01-05"), nil, ""},
		{"moves back", deal(t, "d", "u", "10", "proposal@2026-01-01", "lead@2026-01-02"), nil, ""},
		{"no ID", deal(t, "", "u", "1", "lead@2026-01-01"), ErrInvalid, "ID is empty"},
		{"other funnel", func() Deal { d := deal(t, "d", "u", "1", "lead@2026-01-01"); d.Funnel = "renewals"; return d }(), ErrInvalid, "belongs to funnel \"renewals\""},
		{"no transitions", deal(t, "d", "u", "1"), ErrInvalid, "no transitions"},
		{"negative value", deal(t, "d", "u", "-1", "lead@2026-01-01"), ErrInvalid, "negative"},
		{"unknown stage", deal(t, "d", "u", "1", "lead@2026-01-01", "demo@2026-01-02"), ErrNotFound, "\"demo\" is neither"},
		{"back in time", deal(t, "d", "u", "1", "lead@2026-01-03", "qualified@2026-01-02"), ErrInvalid, "date order"},
		{"after outcome", deal(t, "d", "u", "1", "lead@2026-01-01", "lost@2026-01-02", "won@2026-01-03"), ErrInvalid, "new deal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.deal.Validate(f)
			if tt.is == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.reason)
		})
	}
}
