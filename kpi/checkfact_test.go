package kpi_test

import (
	"errors"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestCheckFact(t *testing.T) {
	org, err := goal.NewOrg([]goal.Unit{{ID: "co"}, {ID: "a", Parent: "co"}, {ID: "b", Parent: "co"}})
	require.NoError(t, err)
	rev := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	calls := goal.Metric{Key: "calls", Kind: goal.Count}
	day := date.New(2026, 3, 1)
	d := decimal.RequireFromString
	half := []kpi.Credit{{Unit: "a", Share: d("0.5")}, {Unit: "b", Share: d("0.5")}}
	tests := []struct {
		name  string
		f     kpi.Fact
		m     goal.Metric
		field string // empty: valid
	}{
		{"plain amount", kpi.Fact{Key: "k", Metric: "revenue", Unit: "a", Date: day, Value: d("10.50")}, rev, ""},
		{"split", kpi.Fact{Key: "k", Metric: "revenue", Credits: half, Date: day, Value: d("10.01")}, rev, ""},
		{"empty key", kpi.Fact{Metric: "revenue", Unit: "a", Value: d("1")}, rev, "Key"},
		{"other metric", kpi.Fact{Key: "k", Metric: "calls", Unit: "a", Value: d("1")}, rev, "Metric"},
		{"too many places", kpi.Fact{Key: "k", Metric: "revenue", Unit: "a", Value: d("1.005")}, rev, "Value"},
		{"wrong currency", kpi.Fact{Key: "k", Metric: "revenue", Unit: "a", Value: d("1"), Currency: "USD"}, rev, "Currency"},
		{"negative count", kpi.Fact{Key: "k", Metric: "calls", Unit: "a", Value: d("-1")}, calls, "Value"},
		{"unknown unit", kpi.Fact{Key: "k", Metric: "calls", Unit: "zz", Value: d("1")}, calls, "Unit"},
		{"unit and credits", kpi.Fact{Key: "k", Metric: "revenue", Unit: "a", Credits: half, Value: d("1")}, rev, "Unit"},
		{"shares not 1", kpi.Fact{Key: "k", Metric: "revenue", Credits: half[:1], Value: d("1")}, rev, "Credits"},
		{"unit twice", kpi.Fact{Key: "k", Metric: "revenue", Credits: []kpi.Credit{half[0], half[0]}, Value: d("1")}, rev, "Credits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := kpi.CheckFact(tt.f, tt.m, org)
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, kpi.ErrInvalid)
			var fe *kpi.FactError
			require.True(t, errors.As(err, &fe))
			require.Equal(t, tt.field, fe.Field)
		})
	}
	require.Error(t, kpi.CheckFact(kpi.Fact{Key: "k", Metric: "calls", Unit: "a", Value: d("1")}, calls, nil), "no org")
}
