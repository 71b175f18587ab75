package txn_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/txn"
	"github.com/stretchr/testify/require"
)

// Every method of storage.Tx runs in a transaction of its own: a write for
// those that change something, a read for the rest.
func TestAutoRunsWritesAsWrites(t *testing.T) {
	writes := map[string]bool{
		"PutUnits": true, "EditOrg": true, "CreatePlan": true, "UpdatePlan": true, "AppendFacts": true, "RetractFact": true,
		"ReplaceFact": true, "PutDeal": true, "PutDeals": true, "PutAlert": true, "PruneAlerts": true, "Enqueue": true, "ClaimUndelivered": true, "MarkDelivered": true,
		"PutPlanVersion": true, "PutSnapshot": true, "PutScenario": true, "DeleteScenario": true, "PrunePlanVersions": true,
		"PutNegotiations": true,
	}
	var ran string
	run := func(kind string) txn.RunFunc {
		return func(context.Context, func(storage.Tx) error) error { ran = kind; return nil }
	}
	a := reflect.ValueOf(txn.Auto{Read: run("read"), Write: run("write")})
	tx := reflect.TypeFor[storage.Tx]()
	require.Equal(t, 42, tx.NumMethod())
	for i := range tx.NumMethod() {
		name := tx.Method(i).Name
		m := a.MethodByName(name)
		args := []reflect.Value{reflect.ValueOf(context.Background())}
		for j := 1; j < m.Type().NumIn(); j++ {
			args = append(args, reflect.Zero(m.Type().In(j)))
		}
		ran = ""
		m.Call(args)
		want := "read"
		if writes[name] {
			want = "write"
		}
		require.Equal(t, want, ran, name)
	}
}

func TestState(t *testing.T) {
	var s txn.State
	finished := context.DeadlineExceeded // any sentinel
	require.NoError(t, s.Check(context.Background(), finished))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, s.Check(ctx, finished), context.Canceled)
	s.End()
	require.ErrorIs(t, s.Check(context.Background(), finished), finished)
}
