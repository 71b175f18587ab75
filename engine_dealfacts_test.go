package goalkit_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// derivingFunnel is lead → opportunity → proposal, deriving every fact.
var derivingFunnel = funnel.Funnel{Key: "crm", Won: "won", Lost: "lost",
	Stages: []funnel.Stage{{Key: "lead", Metric: "leads"}, {Key: "opportunity", Metric: "opportunities"}, {Key: "proposal", Metric: "proposals"}},
	Derive: &funnel.Derivation{Entries: true, Wins: true, WonValue: "revenue", Advances: "advances"}}

// dealMetrics are the count metrics derivingFunnel writes besides revenue.
var dealMetrics = []goal.Metric{
	{Key: "leads", Kind: goal.Count}, {Key: "opportunities", Kind: goal.Count}, {Key: "proposals", Kind: goal.Count},
	{Key: "crm.won", Kind: goal.Count}, {Key: "advances", Kind: goal.Count},
}

// dealOf builds a crm deal from "stage@YYYY-MM-DD" steps.
func dealOf(id, unit, value string, steps ...string) funnel.Deal {
	d := funnel.Deal{ID: id, Funnel: "crm", Unit: unit, Value: dec(value), Currency: "CNY"}
	for _, s := range steps {
		stage, on, _ := strings.Cut(s, "@")
		d.Transitions = append(d.Transitions, funnel.Transition{Stage: stage, Date: day(on)})
	}
	return d
}

func TestDealFactsOnEveryStore(t *testing.T) { onEveryStore(t, dealFactsScenario) }

// dealFactsScenario sends, re-sends and edits deals and checks that every
// figure counts each event once.
func dealFactsScenario(t *testing.T, store storage.Store) {
	f := newFixture(t, store, func(c *goalkit.Config) {
		c.Metrics = append(c.Metrics, dealMetrics...)
		c.Funnels = []funnel.Funnel{derivingFunnel}
	})
	total := func(metric, unit string) string {
		t.Helper()
		tot, err := f.store.Sum(f.ctx, storage.Query{Metric: metric, Unit: unit, Subtree: true, Start: day("2026-01-01"), End: day("2027-01-01")})
		require.NoError(t, err)
		return tot.Value.String() + " in " + tot.Count.String()
	}
	check := func(want map[string]string) {
		t.Helper()
		for _, m := range []string{"leads", "opportunities", "proposals", "crm.won", "advances", "revenue"} {
			require.Equal(t, want[m], total(m, "acme"), m)
		}
	}

	a := dealOf("A", "li", "300.00", "lead@2026-01-05", "opportunity@2026-01-12")
	b := dealOf("B", "zhao", "50.00", "lead@2026-01-06", "proposal@2026-01-20", "won@2026-02-02")
	require.NoError(t, f.engine.PutDeals(f.ctx, []funnel.Deal{a, b}))
	first := map[string]string{"leads": "2 in 2", "opportunities": "2 in 2", "proposals": "1 in 1",
		"crm.won": "1 in 1", "advances": "2 in 2", "revenue": "50 in 1"}
	check(first)

	// Re-sending, one at a time or as a batch, changes nothing.
	require.NoError(t, f.engine.PutDeal(f.ctx, a))
	require.NoError(t, f.engine.PutDeals(f.ctx, []funnel.Deal{a, b}))
	check(first)

	// An edit: A is won at a new value by wang, B's win is undone (lost).
	a2 := dealOf("A", "wang", "320.00", "lead@2026-01-05", "opportunity@2026-01-12", "proposal@2026-01-30", "won@2026-02-10")
	b2 := dealOf("B", "zhao", "50.00", "lead@2026-01-06", "proposal@2026-01-20", "lost@2026-02-02")
	require.NoError(t, f.engine.PutDeals(f.ctx, []funnel.Deal{a2, b2}))
	edited := map[string]string{"leads": "2 in 2", "opportunities": "2 in 2", "proposals": "2 in 2",
		"crm.won": "1 in 1", "advances": "3 in 3", "revenue": "320 in 1"}
	check(edited)
	require.Equal(t, "0 in 0", total("leads", "li"), "A's lead moved with the deal to wang")
	require.Equal(t, "1 in 1", total("leads", "wang"))
	got, err := f.store.GetFact(f.ctx, "deal:crm:B:won:value")
	require.NoError(t, err)
	require.True(t, got.Retracted, "a win no longer implied is retracted")

	// B won again: the retracted facts come back, once.
	require.NoError(t, f.engine.PutDeal(f.ctx, b))
	require.NoError(t, f.engine.PutDeal(f.ctx, b))
	check(map[string]string{"leads": "2 in 2", "opportunities": "2 in 2", "proposals": "2 in 2",
		"crm.won": "2 in 2", "advances": "3 in 3", "revenue": "370 in 2"})
}

func TestDealFactsAllOrNothing(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Metrics = append(c.Metrics, dealMetrics...)
		c.Funnels = []funnel.Funnel{derivingFunnel}
	})
	good := dealOf("A", "li", "300.00", "lead@2026-01-05", "won@2026-01-12")
	bad := dealOf("B", "li", "0.001", "lead@2026-01-05", "won@2026-01-12") // more places than revenue has
	err := f.engine.PutDeals(f.ctx, []funnel.Deal{good, bad})
	require.Error(t, err)
	require.Contains(t, err.Error(), `deal "B" implies a fact it cannot store`)
	facts, err := f.store.ListFacts(f.ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, facts, "a batch with a bad deal writes no fact")
	_, err = f.store.GetDeal(f.ctx, "A")
	require.ErrorIs(t, err, storage.ErrNotFound)
}

func TestNewRejectsDerivationWithoutMetrics(t *testing.T) {
	s := newFixture(t, nil, nil).store
	_, err := goalkit.New(t.Context(), s, &goalkit.Config{Metrics: []goal.Metric{revenue}, Funnels: []funnel.Funnel{derivingFunnel}})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.Contains(t, err.Error(), `metric "leads", which is not configured`)

	ms := append([]goal.Metric{{Key: "revenue", Kind: goal.Count}}, dealMetrics...)
	_, err = goalkit.New(t.Context(), s, &goalkit.Config{Metrics: ms, Funnels: []funnel.Funnel{derivingFunnel}})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.Contains(t, err.Error(), "it must be of kind amount")
}

func TestDealFactsAfterTheFactOnEveryStore(t *testing.T) { onEveryStore(t, dealFactsAfterTheFact) }

// dealFactsAfterTheFact turns derivation on over deals stored without it,
// then re-sends a deal whose facts the host edited or retracted by hand.
func dealFactsAfterTheFact(t *testing.T, store storage.Store) {
	plain := derivingFunnel
	plain.Derive = nil
	configure := func(fn funnel.Funnel) func(c *goalkit.Config) {
		return func(c *goalkit.Config) {
			c.Metrics = append(c.Metrics, dealMetrics...)
			c.Funnels = []funnel.Funnel{fn}
		}
	}
	a := dealOf("A", "li", "300.00", "lead@2026-01-05", "won@2026-01-12")
	before := newFixture(t, store, configure(plain))
	require.NoError(t, before.engine.PutDeal(before.ctx, a))
	facts, err := store.ListFacts(before.ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, facts, "a funnel without Derive writes no facts")

	f := newFixture(t, store, configure(derivingFunnel))
	require.NoError(t, f.engine.PutDeal(f.ctx, a), "the same deal, now derived")
	won, err := f.store.GetFact(f.ctx, "deal:crm:A:won:value")
	require.NoError(t, err)
	requireDec(t, "300", won.Value)

	// The host corrects the won value by hand: re-sending the deal puts
	// back what the deal implies.
	require.NoError(t, f.engine.Replace(f.ctx, rev("deal:crm:A:won:value", "li", "2026-01-12", "999.00")))
	require.NoError(t, f.engine.PutDeal(f.ctx, a))
	won, err = f.store.GetFact(f.ctx, "deal:crm:A:won:value")
	require.NoError(t, err)
	requireDec(t, "300", won.Value)

	// A retraction by hand stands while the deal is unchanged.
	require.NoError(t, f.engine.Retract(f.ctx, "deal:crm:A:won:count"))
	require.NoError(t, f.engine.PutDeal(f.ctx, a))
	count, err := f.store.GetFact(f.ctx, "deal:crm:A:won:count")
	require.NoError(t, err)
	require.True(t, count.Retracted)
}

func TestDealFactsBatchWithAnIDTwice(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Metrics = append(c.Metrics, dealMetrics...)
		c.Funnels = []funnel.Funnel{derivingFunnel}
	})
	a := dealOf("A", "li", "300.00", "lead@2026-01-05", "won@2026-01-12")
	edited := dealOf("A", "li", "310.00", "lead@2026-01-05", "won@2026-01-12")
	err := f.engine.PutDeals(f.ctx, []funnel.Deal{a, edited})
	require.ErrorIs(t, err, storage.ErrInvalid)
	require.Contains(t, err.Error(), "listed twice", "the store's check speaks before the facts conflict")
	facts, err := f.store.ListFacts(f.ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, facts)
}
