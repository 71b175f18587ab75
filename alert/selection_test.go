package alert_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

func TestSelectionMatches(t *testing.T) {
	weeklyVisits := alert.Subject{Metric: "visits", Grain: goal.Week, Plan: "visits-q3", Level: "rep", Unit: "wang"}
	cases := []struct {
		name string
		sel  alert.Selection
		want bool
	}{
		{"zero selects every goal", alert.Selection{}, true},
		{"metric listed", alert.Selection{Metrics: []string{"revenue", "visits"}}, true},
		{"metric not listed", alert.Selection{Metrics: []string{"revenue"}}, false},
		{"grain listed", alert.Selection{Grains: []goal.Grain{goal.Week}}, true},
		{"grain not listed", alert.Selection{Grains: []goal.Grain{goal.Quarter}}, false},
		{"plan", alert.Selection{Plans: []string{"revenue-q3"}}, false},
		{"level", alert.Selection{Levels: []string{"rep"}}, true},
		{"level of a team", alert.Selection{Levels: []string{"team"}}, false},
		{"unit", alert.Selection{Units: []string{"wang"}}, true},
		{"every dimension must pass", alert.Selection{Metrics: []string{"visits"}, Grains: []goal.Grain{goal.Month}}, false},
		{"all pass", alert.Selection{Metrics: []string{"visits"}, Grains: []goal.Grain{goal.Week}, Plans: []string{"visits-q3"},
			Levels: []string{"rep"}, Units: []string{"wang", "li"}}, true},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, tc.sel.Matches(weeklyVisits), tc.name)
	}
}

// TestSelectionRankProperty: naming one more dimension always ranks higher,
// and a selection naming units outranks every one that does not.
func TestSelectionRankProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := func() alert.Selection {
		var s alert.Selection
		if r.IntN(2) == 0 {
			s.Metrics = []string{"revenue"}
		}
		if r.IntN(2) == 0 {
			s.Grains = []goal.Grain{goal.Month}
		}
		if r.IntN(2) == 0 {
			s.Plans = []string{"p"}
		}
		if r.IntN(2) == 0 {
			s.Levels = []string{"rep"}
		}
		if r.IntN(2) == 0 {
			s.Units = []string{"li"}
		}
		return s
	}
	for range 500 {
		s := random()
		wider := s
		switch r.IntN(5) {
		case 0:
			wider.Metrics = nil
		case 1:
			wider.Grains = nil
		case 2:
			wider.Plans = nil
		case 3:
			wider.Levels = nil
		default:
			wider.Units = nil
		}
		require.GreaterOrEqual(t, s.Rank(), wider.Rank())
		if len(s.Units) > 0 && len(wider.Units) == 0 {
			require.Greater(t, s.Rank(), wider.Rank())
			require.Greater(t, s.Rank(), alert.Selection{Metrics: []string{"m"}, Grains: []goal.Grain{goal.Week}, Plans: []string{"p"}, Levels: []string{"rep"}}.Rank())
		}
	}
}

func TestSelectionValidate(t *testing.T) {
	require.NoError(t, alert.Selection{Grains: []goal.Grain{goal.Day, goal.Week, goal.Month, goal.Quarter, goal.Half, goal.Year}}.Validate())
	for name, s := range map[string]alert.Selection{
		"Selection.Grains":  {Grains: []goal.Grain{goal.Grain(42)}},
		"Selection.Metrics": {Metrics: []string{""}},
		"Selection.Units":   {Units: []string{"li", ""}},
	} {
		err := s.Validate()
		require.ErrorIs(t, err, alert.ErrInvalid, name)
		var ve *alert.ValidationError
		require.True(t, errors.As(err, &ve))
		require.Equal(t, name, ve.Field)
	}
	require.ErrorContains(t, alert.Selection{Grains: []goal.Grain{goal.Range}}.Validate(), "unknown grain range")
}

func TestOverlap(t *testing.T) {
	months := alert.Selection{Metrics: []string{"revenue"}, Grains: []goal.Grain{goal.Month}}
	quarters := alert.Selection{Metrics: []string{"revenue"}, Grains: []goal.Grain{goal.Quarter}}
	lisMonths := alert.Selection{Units: []string{"li"}, Grains: []goal.Grain{goal.Month}}
	require.NoError(t, alert.Overlap("pace", []alert.Selection{months, quarters, lisMonths, {}}), "disjoint, or of other ranks")

	err := alert.Overlap("pace", []alert.Selection{months, quarters, {Metrics: []string{"revenue", "visits"}, Grains: []goal.Grain{goal.Month, goal.Week}}})
	require.ErrorIs(t, err, alert.ErrInvalid)
	require.ErrorContains(t, err, "pace selections 0 and 2")
	require.ErrorContains(t, err, "the most specific wins")
}
