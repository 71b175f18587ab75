package funnel

import (
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// day parses an ISO date or fails the test.
func day(t testing.TB, s string) date.Date {
	t.Helper()
	d, err := date.ParseISO(s)
	require.NoError(t, err)
	return d
}

// dec parses a decimal or fails the test.
func dec(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	v, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return v
}

// requireDec compares decimals by value, printing both on failure.
func requireDec(t testing.TB, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, dec(t, want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

// salesFunnel is lead → qualified → proposal with won, lost and invalid.
func salesFunnel() Funnel {
	return Funnel{
		Key:     "sales",
		Stages:  []Stage{{Key: "lead", Name: "Lead"}, {Key: "qualified", Name: "Qualified"}, {Key: "proposal", Name: "Proposal"}},
		Won:     "won",
		Lost:    "lost",
		Invalid: "invalid",
	}
}

// deal builds a deal from "stage@YYYY-MM-DD" steps.
func deal(t testing.TB, id, unit, value string, steps ...string) Deal {
	t.Helper()
	d := Deal{ID: id, Unit: unit, Value: dec(t, value), Currency: "USD"}
	for _, s := range steps {
		for i := len(s) - 1; i >= 0; i-- {
			if s[i] == '@' {
				d.Transitions = append(d.Transitions, Transition{Stage: s[:i], Date: day(t, s[i+1:])})
				break
			}
		}
	}
	return d
}
