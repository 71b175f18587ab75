package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/storagetest"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var harness = storagetest.Harness{
	Open: func(t *testing.T) storagetest.Opener {
		var root *memory.Store
		return func(tenant string) storage.Store {
			if root == nil {
				s, err := memory.New(memory.Config{Tenant: tenant})
				require.NoError(t, err)
				root = s
			}
			// A handle on the same data.
			s, err := root.ForTenant(tenant)
			require.NoError(t, err)
			return s
		}
	},
	ConcurrentWriters: true,
	FaultInjection:    true,
	Parallel:          true,
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, harness)
}

func TestNewRejectsEmptyTenant(t *testing.T) {
	_, err := memory.New(memory.Config{})
	require.ErrorIs(t, err, storage.ErrInvalid)
	s, err := memory.New(memory.Config{Tenant: "a"})
	require.NoError(t, err)
	_, err = s.ForTenant("")
	require.ErrorIs(t, err, storage.ErrInvalid)
}

func BenchmarkStore(b *testing.B) {
	storagetest.Bench(b, func(b *testing.B, tenant string) storage.Store {
		s, err := memory.New(memory.Config{Tenant: tenant})
		require.NoError(b, err)
		return s
	})
}

func TestNewRejectsNegativeCapacity(t *testing.T) {
	_, err := memory.New(memory.Config{Tenant: "a", Capacity: -1})
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = memory.New(memory.Config{Tenant: "a", Capacity: 1000})
	require.NoError(t, err)
}

// A host's SplitFunc sees every fact, with or without credits, as in every
// store; the parts it returns are what the totals count.
func TestSplitFuncSeesEveryFact(t *testing.T) {
	ctx := context.Background()
	toX := func(f kpi.Fact) ([]storage.Part, error) {
		return []storage.Part{{Unit: "x", Value: f.Value, Share: decimal.NewFromInt(1)}}, nil
	}
	s, err := memory.New(memory.Config{Tenant: "a", Split: toX})
	require.NoError(t, err)
	day := date.New(2026, time.March, 1)
	_, err = s.AppendFacts(ctx, []kpi.Fact{
		{Key: "1", Metric: "revenue", Unit: "a", Date: day, Value: decimal.RequireFromString("5")},
		{Key: "2", Metric: "revenue", Date: day, Value: decimal.RequireFromString("7"),
			Credits: []kpi.Credit{{Unit: "a", Share: decimal.NewFromInt(1)}}},
	})
	require.NoError(t, err)
	for unit, want := range map[string]string{"x": "12", "a": "0"} {
		got, err := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: unit, Start: day, End: day + 1})
		require.NoError(t, err)
		require.Truef(t, got.Value.Equal(decimal.RequireFromString(want)), "%s: got %s, want %s", unit, got.Value, want)
	}
	got, err := s.GetFact(ctx, "1")
	require.NoError(t, err)
	require.Nil(t, got.Credits)
}
