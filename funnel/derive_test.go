package funnel

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/stretchr/testify/require"
)

// derived is salesFunnel deriving every kind of fact.
func derived() Funnel {
	f := salesFunnel()
	f.Derive = &Derivation{Entries: true, Wins: true, WonValue: "revenue", Advances: "advances"}
	return f
}

// factLines prints facts as "key metric unit date value currency".
func factLines(fs []kpi.Fact) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = strings.TrimSpace(fmt.Sprintf("%s %s %s %s %s %s", f.Key, f.Metric, f.Unit, f.Date, f.Value, f.Currency))
	}
	return out
}

func TestDealFacts(t *testing.T) {
	f := derived()
	tests := []struct {
		name string
		deal Deal
		want []string
	}{{
		name: "won after every stage",
		deal: deal(t, "D1", "ann", "500", "lead@2026-01-05", "qualified@2026-01-09", "proposal@2026-02-01", "won@2026-02-20"),
		want: []string{
			"deal:sales:D1:enter:lead sales.lead ann 2026-01-05 1",
			"deal:sales:D1:advance:qualified advances ann 2026-01-09 1",
			"deal:sales:D1:enter:qualified sales.qualified ann 2026-01-09 1",
			"deal:sales:D1:advance:proposal advances ann 2026-02-01 1",
			"deal:sales:D1:enter:proposal sales.proposal ann 2026-02-01 1",
			"deal:sales:D1:won:count sales.won ann 2026-02-20 1",
			"deal:sales:D1:won:value revenue ann 2026-02-20 500 USD",
		},
	}, {
		name: "a skip enters the skipped stage, a move back counts nothing, winning from lead enters the rest",
		deal: deal(t, "D2", "bob", "80", "lead@2026-01-05", "proposal@2026-01-07", "lead@2026-01-08", "won@2026-01-10"),
		want: []string{
			"deal:sales:D2:enter:lead sales.lead bob 2026-01-05 1",
			"deal:sales:D2:advance:proposal advances bob 2026-01-07 1",
			"deal:sales:D2:enter:qualified sales.qualified bob 2026-01-07 1",
			"deal:sales:D2:enter:proposal sales.proposal bob 2026-01-07 1",
			"deal:sales:D2:won:count sales.won bob 2026-01-10 1",
			"deal:sales:D2:won:value revenue bob 2026-01-10 80 USD",
		},
	}, {
		name: "entered at qualified and lost: no lead entry, no win",
		deal: deal(t, "D3", "ann", "10", "qualified@2026-03-01", "lost@2026-03-05"),
		want: []string{"deal:sales:D3:enter:qualified sales.qualified ann 2026-03-01 1"},
	}, {
		name: "separators in the ID are escaped",
		deal: deal(t, "crm:7%", "ann", "10", "lead@2026-03-01"),
		want: []string{"deal:sales:crm%3A7%25:enter:lead sales.lead ann 2026-03-01 1"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DealFacts(f, tc.deal)
			require.NoError(t, err)
			require.Equal(t, tc.want, factLines(got))
		})
	}
}

func TestDealFactsOptIn(t *testing.T) {
	d := deal(t, "D1", "ann", "500", "lead@2026-01-05", "won@2026-02-20")
	got, err := DealFacts(salesFunnel(), d)
	require.NoError(t, err)
	require.Empty(t, got, "a funnel without Derive leaves the facts to the host")

	f := salesFunnel()
	f.Derive = &Derivation{WonValue: "revenue"}
	got, err = DealFacts(f, d)
	require.NoError(t, err)
	require.Equal(t, []string{"deal:sales:D1:won:value revenue ann 2026-02-20 500 USD"}, factLines(got))
}

func TestDealFactsIdempotentKeys(t *testing.T) {
	f := derived()
	a, err := DealFacts(f, deal(t, "D1", "ann", "500", "lead@2026-01-05", "won@2026-02-20"))
	require.NoError(t, err)
	b, err := DealFacts(f, deal(t, "D1", "bob", "700", "lead@2026-01-05", "won@2026-02-21"))
	require.NoError(t, err)
	ka, kb := map[string]bool{}, map[string]bool{}
	for i := range a {
		ka[a[i].Key] = true
		kb[b[i].Key] = true
	}
	require.Len(t, ka, len(a), "keys are distinct within a deal")
	require.Equal(t, ka, kb, "an edited deal keeps its keys, so its facts are replaced")
}

func TestDealFactsRejects(t *testing.T) {
	_, err := DealFacts(derived(), deal(t, "D1", "ann", "1", "won@2026-01-02", "lead@2026-01-03"))
	require.ErrorIs(t, err, ErrInvalid)

	f := salesFunnel()
	f.Derive = &Derivation{Entries: true, Advances: "sales.lead"}
	require.ErrorIs(t, f.Validate(), ErrInvalid, "advances counted in a stage metric would count twice")
	f.Derive = &Derivation{WonValue: "sales.won"}
	var ve *ValidationError
	require.True(t, errors.As(f.Validate(), &ve))
	require.Equal(t, "won value metric", ve.Field)
}

// Over random histories the derived entries are Measure's cohorts, the
// derived wins the won deals, and no two facts share a key.
func TestPropertyDealFactsMatchMeasure(t *testing.T) {
	f := derived()
	for seed := range uint64(20) {
		deals := randomDeals(rand.New(rand.NewPCG(seed, 11)), 200)
		m, err := Measure(f, deals, MeasureOptions{AsOf: day(t, "2030-01-01")})
		require.NoError(t, err)
		entries, wins, keys := map[string]int{}, 0, map[string]bool{}
		for _, d := range deals {
			facts, err := DealFacts(f, d)
			require.NoError(t, err)
			for _, fact := range facts {
				require.False(t, keys[fact.Key], "key %s twice", fact.Key)
				keys[fact.Key] = true
				entries[fact.Metric]++
			}
			if d.Transitions[len(d.Transitions)-1].Stage == f.Won {
				wins++
			}
		}
		for i, s := range m.Stages {
			require.Equal(t, s.Entered, entries[f.StageMetric(i)], "seed %d, stage %s", seed, s.Stage)
		}
		require.Equal(t, wins, entries[f.WonMetric()])
		require.Equal(t, wins, entries["revenue"])
	}
}
