package main

import (
	"testing"

	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/stretchr/testify/require"
)

// TestSmall runs every figure of storebench on 3,000 W1 facts in batches
// of 700 (the last one short), E1 and U1 off: each store's Q1 answers are
// checked against the limit's inside run, and every figure must be there.
// PostgreSQL (the store, the floors, the plain peer and several instances)
// runs where a DSN is set.
func TestSmall(t *testing.T) {
	old := *withE1
	*withE1 = false
	t.Cleanup(func() { *withE1 = old })
	tm, err := run(3_000, 1, 700, "memory,sqlite", "")
	require.NoError(t, err)
	for _, k := range []string{"limit I1", "limit Q1", "memory I1", "memory Q1", "sqlite I1", "sqlite Q1", "sqlite floor I1", "sqlite plain I1", "sqlite plain Q1"} {
		require.Len(t, tm[k], 1, k)
	}
	dsn := sqltest.DSN(t)
	tm, err = run(3_000, 1, 700, "postgres,pgarrays,multi", dsn)
	require.NoError(t, err)
	for _, k := range []string{"postgres I1", "pgarrays I1", "postgres keys I1", "postgres floor I1", "multi1 I1", "multiN I1", "postgres plain I1", "postgres plain Q1"} {
		require.Len(t, tm[k], 1, k)
	}
}
