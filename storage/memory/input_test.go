package memory_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

func TestNewRefusesBadTenants(t *testing.T) {
	for _, tenant := range []string{"a\x00", "a\xff", strings.Repeat("t", goal.MaxIDLen+1)} {
		_, err := memory.New(memory.Config{Tenant: tenant})
		require.ErrorIs(t, err, storage.ErrInvalid)
		s, err := memory.New(memory.Config{Tenant: "acme"})
		require.NoError(t, err)
		_, err = s.ForTenant(tenant)
		require.ErrorIs(t, err, storage.ErrInvalid)
	}
}
