package exchange_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/kpi"
	"github.com/stretchr/testify/require"
)

func TestStatusesExport(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	_, err := e.SavePlan(ctx, plan(t), who)
	require.NoError(t, err)
	_, err = e.Ingest(ctx, facts[:3], kpi.AllOrNothing)
	require.NoError(t, err)
	statuses, err := e.Statuses(ctx, "north-q1", day("2026-01-31"))
	require.NoError(t, err)

	var csv, js bytes.Buffer
	cw, jw := exchange.NewStatusWriter(&csv, exchange.CSV), exchange.NewStatusWriter(&js, exchange.JSON)
	for _, s := range statuses {
		if s.Goal == "li/2026-01" {
			require.NoError(t, cw.Write(s))
			require.NoError(t, jw.Write(s))
		}
	}
	require.NoError(t, cw.Flush())
	require.NoError(t, jw.Flush())
	require.Equal(t, "goal,unit,period,start,end,as_of,target,actual,attainment,time_progress,gap,expected,remaining,projected\n"+
		"li/2026-01,li,2026-01,2026-01-01,2026-02-01,2026-01-31,9000000.00,1200.50,0.000133,1.000000,-0.999867,9000000.00,8998799.50,1200.50\n", csv.String())
	for _, want := range []string{`"goal":"li/2026-01"`, `"period":{"grain":"month","start":"2026-01-01","end":"2026-02-01","label":"2026-01"}`,
		`"as_of":"2026-01-31"`, `"direction":"higher"`, `"actual":"1200.50"`, `"time_progress":"1.000000"`, `"required_run_rate":null`} {
		require.True(t, strings.Contains(js.String(), want), "%s in %s", want, js.String())
	}
}
