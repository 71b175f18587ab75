package alert

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidationError(t *testing.T) {
	err := invalid("Baseline.P0", "must be in (0, 1), got %v", 1.5)
	require.ErrorIs(t, err, ErrInvalid)
	require.EqualError(t, err, "alert: invalid Baseline.P0: must be in (0, 1), got 1.5")

	wrapped := fmt.Errorf("engine: rule %q: %w", "conv", err)
	var ve *ValidationError
	require.ErrorAs(t, wrapped, &ve)
	require.Equal(t, "Baseline.P0", ve.Field)
	require.True(t, errors.Is(wrapped, ErrInvalid))
}

// requireInvalid asserts err is a *ValidationError on field.
func requireInvalid(t *testing.T, err error, field string) {
	t.Helper()
	require.ErrorIs(t, err, ErrInvalid)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, field, ve.Field, "error: %v", err)
	require.NotEmpty(t, ve.Reason)
}
