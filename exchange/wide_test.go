package exchange_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/stretchr/testify/require"
)

const wideSheet = `id,unit,2026-Q1,2026-01,2026-02,2026-03
north,North,60000000.00,,,
li,李,30000000.00,9000000.00,10000000.00,11000000.00
wang,王,30000000.00,9000000.00,10000000.00,11000000.00
`

func TestWideSheetRoundTrip(t *testing.T) {
	p := plan(t)
	var buf bytes.Buffer
	names := map[string]string{"north": "North", "li": "李", "wang": "王"}
	require.NoError(t, exchange.WriteWide(&buf, p, func(u string) string { return names[u] }))
	require.Equal(t, wideSheet, buf.String())

	edit, err := exchange.ReadWide(bytes.NewReader(buf.Bytes()), "plan.csv", p)
	require.NoError(t, err)
	require.Empty(t, edit.Changes)
	require.Empty(t, edit.Unbalanced)
	requirePlan(t, p, edit.Plan)
}

// TestEditedWideSheet moves 1,000,000.00 of li's February to March and
// raises wang's January: li stays balanced, wang and north do not.
func TestEditedWideSheet(t *testing.T) {
	p := plan(t)
	edited := strings.Replace(wideSheet, "9000000.00,10000000.00,11000000.00", "9000000.00,9000000.00,12000000.00", 1)
	edited = strings.Replace(edited, "wang,王,30000000.00,9000000.00", "wang,王,30000000.00,9500000.00", 1)
	edit, err := exchange.ReadWide(strings.NewReader(edited), "plan.csv", p)
	require.NoError(t, err)
	var changed []string
	for _, c := range edit.Changes {
		changed = append(changed, c.Goal+" "+c.Before.StringFixed(2)+"→"+c.After.StringFixed(2))
	}
	require.Equal(t, []string{"li/2026-02 10000000.00→9000000.00", "li/2026-03 11000000.00→12000000.00", "wang/2026-01 9000000.00→9500000.00"}, changed)
	require.Len(t, edit.Unbalanced, 1)
	require.Equal(t, "wang/q1", edit.Unbalanced[0].Goal)
	require.Equal(t, "-500000.00", edit.Unbalanced[0].Unallocated.StringFixed(2))
	g, _ := p.Goal("li/2026-02")
	require.Equal(t, "10000000.00", g.Target.StringFixed(2), "the plan read is never changed")

	ctx := context.Background()
	e := newEngine(t, nil, true)
	_, err = e.SavePlan(ctx, p, who)
	require.NoError(t, err)
	stored, err := e.Plan(ctx, p.ID)
	require.NoError(t, err)
	edit, err = exchange.ReadWide(strings.NewReader(edited), "plan.csv", stored)
	require.NoError(t, err)
	_, err = e.SavePlan(ctx, edit.Plan, who)
	require.ErrorIs(t, err, goalkit.ErrUnbalanced, "what the preview shows unbalanced is refused unless accepted")
	accept := who
	accept.Unbalanced = true
	_, err = e.SavePlan(ctx, edit.Plan, accept)
	require.NoError(t, err, "an edit saves as an update of the stored version")
}

func TestWideSheetBadCells(t *testing.T) {
	p := plan(t)
	bad := `id,unit,2026-Q1,2026-01,2026-02,2026-03,2026-04
north,North,60000000.00,5,,,
li,李,30000000.00,,10000000.001,11000000.00,
wang,王,30000000.00,9000000.00,ten,11000000.00,
`
	_, err := exchange.ReadWide(strings.NewReader(bad), "plan.csv", p)
	var ie *exchange.ImportError
	require.ErrorAs(t, err, &ie)
	var where []string
	for _, r := range ie.Rows {
		where = append(where, r.Error())
	}
	require.Len(t, where, 4, where)
	require.Contains(t, where[0], "plan.csv:1: 2026-04")
	require.Contains(t, where[1], `plan.csv:2: 2026-01 "5": unit "north" has no goal for 2026-01`)
	require.Contains(t, where[2], `plan.csv:3: 2026-01 "": the target is empty`)
	require.Contains(t, where[3], `plan.csv:4: 2026-02 "ten"`)
}
