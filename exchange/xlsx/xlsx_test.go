package xlsx_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/exchange/xlsx"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func export(t testing.TB, p *goal.Plan) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, xlsx.Write(&buf, p, org(t)))
	return buf.Bytes()
}

func TestLayout(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(export(t, plan(t))))
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, []string{"company", "region", "rep", "goalkit"}, f.GetSheetList())
	hidden, err := f.GetSheetVisible("goalkit")
	require.NoError(t, err)
	require.False(t, hidden)

	rows, err := f.GetRows("rep")
	require.NoError(t, err)
	require.Equal(t, [][]string{
		{"id", "unit", "parent", "2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"},
		{"li", "李", "North", "400,000.00", "90,000.00", "100,000.00", "100,000.00", "110,000.00"},
		{"wang", "王", "North", "400,000.00", "90,000.00", "100,000.00", "100,000.00", "110,000.00"},
		{"zhao", "赵", "South", "400,000.00", "90,000.00", "100,000.00", "100,000.00", "110,000.00"},
		{"", "Total", "", "1,200,000.00", "270,000.00", "300,000.00", "300,000.00", "330,000.00"},
	}, rows)
	visible, err := f.GetColVisible("rep", "A")
	require.NoError(t, err)
	require.False(t, visible, "the id column is hidden")
	formula, err := f.GetCellFormula("rep", "E5")
	require.NoError(t, err)
	require.Equal(t, "SUM(E2:E4)", formula, "totals are formulas, with their values cached")
	raw, err := f.GetCellValue("rep", "D2", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	require.Equal(t, "400000", raw, "targets are numbers")

	rows, err = f.GetRows("region")
	require.NoError(t, err)
	require.Equal(t, []string{"north", "North", "Acme 公司", "800,000.00"}, rows[1])
}

func TestRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, e *goalkit.Engine) {
		ctx := context.Background()
		stored, err := e.Plan(ctx, "revenue-2026")
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, xlsx.Export(ctx, e, &buf, "revenue-2026"))
		ed, err := xlsx.Import(ctx, e, bytes.NewReader(buf.Bytes()), "revenue-2026", &xlsx.Options{File: "plan.xlsx"})
		require.NoError(t, err)
		require.Empty(t, ed.Changes)
		require.Empty(t, ed.Unbalanced)
		after, err := e.Plan(ctx, "revenue-2026")
		require.NoError(t, err)
		require.Equal(t, stored.Version, after.Version, "a workbook without changes saves nothing")
		requirePlan(t, plan(t), after)
		requirePlan(t, plan(t), ed.Plan)
	})
}

// TestRoundTripExact keeps a target a double cannot hold (written as text)
// and one with a single cent.
func TestRoundTripExact(t *testing.T) {
	p := plan(t)
	big := dec("12345678901234567.89")
	require.NoError(t, p.SetTarget("co/2026", big))
	require.NoError(t, p.SetTarget("li/2026-Q1", dec("0.01")))
	ed, err := xlsx.Read(bytes.NewReader(export(t, p)), "plan.xlsx", p)
	require.NoError(t, err)
	require.Empty(t, ed.Changes)
	requirePlan(t, p, ed.Plan)
}

// TestEditedWorkbook moves 50,000.00 of li's Q3 to Q2 (li stays balanced)
// and raises wang's year by 50,000.00 (wang's quarters and north no longer
// sum to their parents).
func TestEditedWorkbook(t *testing.T) {
	engines(t, func(t *testing.T, e *goalkit.Engine) {
		ctx := context.Background()
		var buf bytes.Buffer
		require.NoError(t, xlsx.Export(ctx, e, &buf, "revenue-2026"))
		book := edit(t, buf.Bytes(), map[string]any{"rep!F2": 150000, "rep!G2": 50000.0, "rep!D3": "450000.00"})

		ed, err := xlsx.Import(ctx, e, bytes.NewReader(book), "revenue-2026", &xlsx.Options{File: "plan.xlsx", Change: who})
		var ue *xlsx.UnbalancedError
		require.ErrorAs(t, err, &ue)
		require.ErrorIs(t, err, exchange.ErrInvalid)
		require.Contains(t, err.Error(), "north/2026: target 800000, children sum to 850000")
		require.Equal(t, []string{"li/2026-Q2 100000.00→150000.00", "li/2026-Q3 100000.00→50000.00", "wang/2026 400000.00→450000.00"}, changes(ed))
		require.Equal(t, []string{"north/2026 -50000.00", "wang/2026 50000.00"}, unbalanced(ed))
		requirePlan(t, plan(t), storedPlan(t, e))

		ed, err = xlsx.Import(ctx, e, bytes.NewReader(book), "revenue-2026", &xlsx.Options{DryRun: true, KeepUnbalanced: true})
		require.NoError(t, err)
		require.Len(t, ed.Changes, 3)
		requirePlan(t, plan(t), storedPlan(t, e))

		balanced := edit(t, buf.Bytes(), map[string]any{"rep!F2": 150000, "rep!G2": 50000})
		ed, err = xlsx.Import(ctx, e, bytes.NewReader(balanced), "revenue-2026", &xlsx.Options{Change: who})
		require.NoError(t, err)
		require.Equal(t, []string{"li/2026-Q2 100000.00→150000.00", "li/2026-Q3 100000.00→50000.00"}, changes(ed))
		got := storedPlan(t, e)
		require.Equal(t, ed.Plan.Version, got.Version)
		requirePlan(t, ed.Plan, got)

		_, err = xlsx.Import(ctx, e, bytes.NewReader(balanced), "revenue-2026", nil)
		require.ErrorIs(t, err, storage.ErrConflict, "the workbook is of the version before the save")
	})
}

func TestBadCells(t *testing.T) {
	p := plan(t)
	book := edit(t, export(t, p), map[string]any{
		"company!D4": 5,         // a row without an ID
		"region!E1":  "2027-Q1", // a period the plan has not
		"region!A3":  "li",      // li's row there, then again on "rep"
		"rep!E3":     "ten",
		"rep!F3":     "100000.001",
		"rep!G4":     "",
		"rep!A5":     "nobody", // over the totals row
	})
	_, err := xlsx.Read(bytes.NewReader(book), "plan.xlsx", p)
	var we *xlsx.WorkbookError
	require.ErrorAs(t, err, &we)
	require.ErrorIs(t, err, exchange.ErrInvalid)
	var got []string
	for _, c := range we.Cells {
		got = append(got, c.Error())
	}
	want := []string{
		`company!A4 "": the row has no unit ID; add units and goals in goalkit, then export again`,
		`region!E1 "2027-Q1": no goal of the plan has this period; keep the period columns as exported`,
		`rep!A2 "li": unit "li" has a row already at region!A3; keep one row a unit`,
		`rep!E3 "ten": it is not a number; type the target as a number such as 1200.50, without thousands separators or a currency`,
		`rep!F3 "100000.001": it has more than 2 decimal places; round it to 2`,
		`rep!G4 "": the target is empty; write 0 to clear it`,
		`rep!A5 "nobody": unit "nobody" has no goal in plan "revenue-2026"; keep the hidden id column as exported`,
	}
	require.Equal(t, want, got)
	require.Equal(t, len(want), we.Bad)
	require.Contains(t, err.Error(), "plan.xlsx: 7 bad cell(s)")
	g, _ := p.Goal("li/2026-Q1")
	require.Equal(t, "90000.00", g.Target.StringFixed(2), "the plan read is never changed")
}

func TestReadRefusesOtherWorkbooks(t *testing.T) {
	p := plan(t)
	_, err := xlsx.Read(bytes.NewReader([]byte("id,unit\n")), "plan.csv", p)
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.Contains(t, err.Error(), "not an Excel workbook")

	f := excelize.NewFile()
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	_, err = xlsx.Read(bytes.NewReader(buf.Bytes()), "mine.xlsx", p)
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.Contains(t, err.Error(), "not exported by goalkit")

	other, err := goal.NewPlan("other", revenue, p.Goals)
	require.NoError(t, err)
	_, err = xlsx.Read(bytes.NewReader(export(t, other)), "plan.xlsx", p)
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.False(t, errors.Is(err, storage.ErrConflict))
}

// TestDoubleNoise reads the long doubles spreadsheets write for numbers
// with cents as those numbers.
func TestDoubleNoise(t *testing.T) {
	p := plan(t)
	book := edit(t, export(t, p), map[string]any{"rep!E2": "90000.009999999995", "rep!F2": "1234.5599999999999"})
	ed, err := xlsx.Read(bytes.NewReader(book), "plan.xlsx", p)
	require.NoError(t, err)
	require.Equal(t, []string{"li/2026-Q1 90000.00→90000.01", "li/2026-Q2 100000.00→1234.56"}, changes(ed))
}

func changes(ed exchange.Edit) []string {
	var out []string
	for _, c := range ed.Changes {
		out = append(out, c.Goal+" "+c.Before.StringFixed(2)+"→"+c.After.StringFixed(2))
	}
	return out
}

func unbalanced(ed exchange.Edit) []string {
	var out []string
	for _, d := range ed.Unbalanced {
		out = append(out, d.Goal+" "+d.Unallocated.StringFixed(2))
	}
	return out
}

func storedPlan(t testing.TB, e *goalkit.Engine) *goal.Plan {
	t.Helper()
	p, err := e.Plan(context.Background(), "revenue-2026")
	require.NoError(t, err)
	return p
}

// TestWithoutOrg: without an org, levels are numbered and units show
// their IDs; the workbook still reads back.
func TestWithoutOrg(t *testing.T) {
	p := plan(t)
	var buf bytes.Buffer
	require.NoError(t, xlsx.Write(&buf, p, nil))
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, []string{"level 1", "level 2", "level 3", "goalkit"}, f.GetSheetList())
	rows, err := f.GetRows("level 3")
	require.NoError(t, err)
	require.Equal(t, []string{"zhao", "zhao", "south"}, rows[3][:3])
	ed, err := xlsx.Read(bytes.NewReader(buf.Bytes()), "plan.xlsx", p)
	require.NoError(t, err)
	require.Empty(t, ed.Changes)

	require.ErrorIs(t, xlsx.Write(&buf, nil, nil), goal.ErrInvalid)
}

// TestRoundTripProperty: any targets (cents to 10^20, doubles or not)
// come back from a workbook exactly, with no change reported.
func TestRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	for range 30 {
		p := plan(t)
		for _, g := range p.Goals {
			digits := 1 + rng.IntN(20)
			v := decimal.New(rng.Int64N(1_000_000_000_000_000_000), -2).Truncate(2)
			v = v.Mod(decimal.New(1, int32(digits)))
			require.NoError(t, p.SetTarget(g.ID, v))
		}
		ed, err := xlsx.Read(bytes.NewReader(export(t, p)), "plan.xlsx", p)
		require.NoError(t, err)
		require.Empty(t, ed.Changes)
		requirePlan(t, p, ed.Plan)
	}
}
