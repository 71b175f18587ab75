package goalkit_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/messages"
	"github.com/goalkit/goalkit/report"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// TestSentinelsNameTheirPackage: a sentinel's message starts with its
// package's name, so an error logged without its chain still says where it
// came from.
func TestSentinelsNameTheirPackage(t *testing.T) {
	for pkg, errs := range map[string][]error{
		"goalkit":  {goalkit.ErrInvalid, goalkit.ErrStoredState},
		"alert":    {alert.ErrInvalid},
		"exchange": {exchange.ErrInvalid},
		"funnel":   {funnel.ErrInvalid, funnel.ErrNotFound, funnel.ErrInfeasible, funnel.ErrCurrencyMismatch},
		"goal":     {goal.ErrInvalid, goal.ErrNotFound, goal.ErrInfeasible},
		"kpi":      {kpi.ErrInvalid, kpi.ErrConflict, kpi.ErrNotFound, kpi.ErrOverflow},
		"messages": {messages.ErrInvalid},
		"report":   {report.ErrInvalid},
		"storage":  {storage.ErrInvalid, storage.ErrNotFound, storage.ErrConflict, storage.ErrDuplicate, storage.ErrOverflow},
	} {
		for _, err := range errs {
			require.True(t, strings.HasPrefix(err.Error(), pkg+": "), "%q does not start with %q", err, pkg+": ")
		}
	}
}
