package memory_test

import (
	"testing"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

var harness = storagetest.Harness{
	Open: func(t *testing.T) storagetest.Opener {
		var root *memory.Store
		return func(tenant string, fault storage.FaultFunc) storage.Store {
			if root == nil {
				s, err := memory.New(memory.Config{Tenant: tenant})
				require.NoError(t, err)
				root = s
			}
			// A handle on the same data; the fault hook is per handle.
			s, err := root.ForTenant(tenant)
			require.NoError(t, err)
			if fault == nil {
				return s
			}
			return memory.Faulty(t, s, tenant, fault)
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
