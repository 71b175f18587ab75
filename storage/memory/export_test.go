package memory

import (
	"testing"

	"github.com/goalkit/goalkit/storage"
)

// faulty returns a handle on s's data for tenant with a fault hook.
func faulty(t *testing.T, s *Store, tenant string, fault storage.FaultFunc) *Store {
	t.Helper()
	cfg := s.cfg
	cfg.Tenant, cfg.Fault = tenant, fault
	return newStore(s.b, cfg)
}

// Faulty exports faulty to the external tests.
var Faulty = faulty
