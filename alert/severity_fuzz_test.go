package alert_test

import (
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/stretchr/testify/require"
)

// FuzzParseSeverity: ParseSeverity accepts exactly the three names, each
// giving back a severity that prints as its name; anything else is an
// ErrInvalid that quotes the input. UnmarshalText agrees, the empty text
// aside (the zero Severity).
func FuzzParseSeverity(f *testing.F) {
	for _, s := range []string{"info", "warning", "critical", "", "Warning", "critical ", "\x00", "信息"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sev, err := alert.ParseSeverity(s)
		var text alert.Severity
		terr := text.UnmarshalText([]byte(s))
		if err != nil {
			require.ErrorIs(t, err, alert.ErrInvalid)
			require.Zero(t, sev)
			if s != "" {
				require.Error(t, terr)
			}
			return
		}
		require.Equal(t, s, sev.String())
		require.True(t, sev >= alert.SeverityInfo && sev <= alert.SeverityCritical)
		require.NoError(t, terr)
		require.Equal(t, sev, text)
		out, err := sev.MarshalText()
		require.NoError(t, err)
		require.Equal(t, s, string(out))
	})
}
