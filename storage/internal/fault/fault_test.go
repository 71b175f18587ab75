package fault_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/stretchr/testify/require"
)

func TestAtWithoutHookDoesNothing(t *testing.T) {
	require.NoError(t, fault.At(context.Background(), fault.PlanWritten))
}

func TestAtCallsTheHookOfItsContext(t *testing.T) {
	boom := errors.New("boom")
	var seen []string
	ctx := fault.With(context.Background(), func(point string) error {
		seen = append(seen, point)
		if point == fault.FactsWritten {
			return boom
		}
		return nil
	})
	require.NoError(t, fault.At(ctx, fault.PlanWritten))
	require.ErrorIs(t, fault.At(ctx, fault.FactsWritten), boom)
	require.NoError(t, fault.At(context.Background(), fault.FactsWritten), "another context carries no hook")
	require.Equal(t, []string{fault.PlanWritten, fault.FactsWritten}, seen)
}
