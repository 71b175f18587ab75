package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/stretchr/testify/require"
)

// twoInstances returns two handles on one data set, as two app instances
// sharing a database have.
type twoInstances func(t *testing.T) (a, b storage.Store)

var sharedStores = map[string]twoInstances{
	"memory": func(t *testing.T) (storage.Store, storage.Store) {
		s, err := memory.New(memory.Config{Tenant: "acme"})
		require.NoError(t, err)
		return s, s
	},
	"sqlite": func(t *testing.T) (storage.Store, storage.Store) {
		db := sqltest.SQLite(t)
		cfg := sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"}
		return sqltest.Store(t, db, cfg), sqltest.Store(t, db, cfg)
	},
	"postgres": func(t *testing.T) (storage.Store, storage.Store) {
		db := sqltest.Postgres(t)
		cfg := sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"}
		return sqltest.Store(t, db, cfg), sqltest.Store(t, db, cfg)
	},
}

// twoEngines returns two engines, each on its own handle of one data set.
func twoEngines(t *testing.T, open twoInstances) (sa, sb storage.Store, a, b *goalkit.Engine) {
	t.Helper()
	sa, sb = open(t)
	cfg := &goalkit.Config{Metrics: []goal.Metric{revenue}}
	a, err := goalkit.New(context.Background(), sa, cfg)
	require.NoError(t, err)
	b, err = goalkit.New(context.Background(), sb, cfg)
	require.NoError(t, err)
	return sa, sb, a, b
}

func subtreeTotal(t *testing.T, s storage.Store, unit, start, end string) string {
	t.Helper()
	tot, err := s.Sum(context.Background(), storage.Query{Metric: "revenue", Unit: unit, Subtree: true, Start: day(start), End: day(end)})
	require.NoError(t, err)
	return tot.Value.StringFixed(2)
}

// An org one engine stores is the org of every engine on the store, at
// once (each engine used to keep the org it loaded at New).
func TestEnginesSeeEachOthersOrg(t *testing.T) {
	for name, open := range sharedStores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			_, sb, a, b := twoEngines(t, open)
			require.NoError(t, a.SetOrg(ctx, orgUnits[:3]))
			require.NoError(t, a.SetOrg(ctx, orgUnits))
			_, err := b.Ingest(ctx, []kpi.Fact{rev("li-1", "li", "2026-03-01", "10.00")}, kpi.AllOrNothing)
			require.NoError(t, err, "b sees the org a stored")
			require.Equal(t, "10.00", subtreeTotal(t, sb, "north", "2026-01-01", "2027-01-01"))
		})
	}
}

// Two engines on one store see one org: a rep one instance adds is known
// to the other at once, edits based on an org another instance changed
// are conflicts, and moves keep history in every subtree total.
func TestEnginesShareOneOrg(t *testing.T) {
	for name, open := range sharedStores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			sa, sb, a, b := twoEngines(t, open)

			require.NoError(t, a.SetOrg(ctx, orgUnits))
			_, err := b.Ingest(ctx, []kpi.Fact{rev("li-1", "li", "2026-03-01", "10.00")}, kpi.AllOrNothing)
			require.NoError(t, err, "b sees the org a stored")
			require.Equal(t, len(orgUnits), b.Org().Len())

			_, err = a.EditOrg(ctx, goal.AddUnit(goal.Unit{ID: "zhou", Parent: "south", Kind: "rep"}))
			require.NoError(t, err)
			res, err := b.Ingest(ctx, []kpi.Fact{rev("zhou-1", "zhou", "2026-03-02", "5.00")}, kpi.AllOrNothing)
			require.NoError(t, err, "b accepts a fact for the rep a just added")
			require.Equal(t, 1, res.Inserted)

			// b moves li to south from 1 July; a's edit, based on the org
			// before that move, is a conflict and changes nothing.
			_, err = b.EditOrg(ctx, goal.MoveUnit("li", "south", day("2026-07-01")))
			require.NoError(t, err)
			_, err = a.EditOrg(ctx, goal.DeactivateUnit("wang", day("2026-09-01")))
			var ce *storage.ConflictError
			require.ErrorAs(t, err, &ce)
			require.ErrorIs(t, err, storage.ErrConflict)
			requireNamesOnly(t, err, "EditOrg again", "ListUnits")
			u, err := a.Org().Unit("li")
			require.NoError(t, err)
			require.Equal(t, "south", u.Parent, "after the conflict a holds the current org")
			_, err = a.EditOrg(ctx, goal.DeactivateUnit("wang", day("2026-09-01")))
			require.NoError(t, err, "a retries on the current org")

			_, err = a.Ingest(ctx, []kpi.Fact{rev("li-2", "li", "2026-07-01", "20.00"), rev("li-0", "li", "2026-06-30", "1.00")}, kpi.AllOrNothing)
			require.NoError(t, err)
			require.Equal(t, "11.00", subtreeTotal(t, sa, "north", "2026-01-01", "2027-01-01"), "li's facts before the move stay with north")
			require.Equal(t, "25.00", subtreeTotal(t, sb, "south", "2026-01-01", "2027-01-01"), "and from the move on count for south")
			require.Equal(t, "36.00", subtreeTotal(t, sa, "acme", "2026-01-01", "2027-01-01"))

			// A stale SetOrg from a is still a whole replacement, and b
			// follows it.
			require.NoError(t, a.SetOrg(ctx, orgUnits))
			_, err = b.Ingest(ctx, []kpi.Fact{rev("zhou-2", "zhou", "2026-03-03", "5.00")}, kpi.AllOrNothing)
			require.ErrorIs(t, err, kpi.ErrInvalid, "b knows zhou left the org")
			require.Contains(t, err.Error(), `unit "zhou" is not in the org`)
		})
	}
}

// A bad edit is refused with the goal sentinel and writes nothing.
func TestEngineEditOrgRefusesBadEdits(t *testing.T) {
	ctx := context.Background()
	_, _, a, _ := twoEngines(t, sharedStores["memory"])
	require.NoError(t, a.SetOrg(ctx, orgUnits))
	_, err := a.EditOrg(ctx, goal.MoveUnit("north", "li", day("2026-07-01")))
	require.ErrorIs(t, err, goal.ErrInvalid)
	require.Contains(t, err.Error(), "its own ancestor")
	_, err = a.EditOrg(ctx, goal.AddUnit(goal.Unit{ID: "x", Parent: "south"}), goal.MoveUnit("ghost", "south", day("2026-07-01")))
	require.ErrorIs(t, err, goal.ErrNotFound)
	require.Equal(t, len(orgUnits), a.Org().Len(), "the first edit of a refused batch is not kept either")
	units, err := a.Store().ListUnits(ctx)
	require.NoError(t, err)
	require.Len(t, units, len(orgUnits))
	org, err := a.EditOrg(ctx, goal.AddUnit(goal.Unit{ID: "x", Parent: "south"}), goal.MoveUnit("x", "north", day("2026-07-01")))
	require.NoError(t, err)
	anc, err := org.AncestorsAt("x", day("2026-06-30"))
	require.NoError(t, err)
	require.Equal(t, "south", anc[0].ID)
}
