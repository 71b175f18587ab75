package xlsx

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Columns of a level sheet; period columns start at firstPeriod.
const (
	colID       = 1
	colUnit     = 2
	colParent   = 3
	firstPeriod = 4
	totalLabel  = "Total"
	metaSheet   = "goalkit"
)

// Header texts of the fixed columns.
var fixedHeader = []any{"id", "unit", "parent"}

// level is one sheet: the units of an org level, in plan order, and the
// periods they have goals for.
type level struct {
	name    string
	units   []string
	periods []goal.Period
}

// Write writes plan p as a workbook to w (see the package doc for its
// layout). org names the units and their kinds; nil, or a unit it does
// not hold, shows the unit's ID instead.
func Write(w io.Writer, p *goal.Plan, org *goal.Org) error {
	if p == nil || len(p.Goals) == 0 {
		return fmt.Errorf("xlsx: write plan: the plan is empty; export a plan with goals: %w", goal.ErrInvalid)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := writeBook(f, p, org); err != nil {
		return fmt.Errorf("xlsx: write plan %q: %w", p.ID, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: write plan %q: %w", p.ID, err)
	}
	return nil
}

func writeBook(f *excelize.File, p *goal.Plan, org *goal.Org) error {
	st, err := newStyles(f, p.Metric.Places)
	if err != nil {
		return err
	}
	levels := levels(p, org)
	for i, l := range levels {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), l.name)
		} else {
			_, err = f.NewSheet(l.name)
		}
		if err != nil {
			return err
		}
		if err := writeLevel(f, p, org, l, st); err != nil {
			return fmt.Errorf("sheet %q: %w", l.name, err)
		}
	}
	return writeMeta(f, p)
}

// writeMeta keeps the plan's identity in a hidden sheet, so Read can tell
// a workbook of another plan, or of an older version, from this one.
func writeMeta(f *excelize.File, p *goal.Plan) error {
	if _, err := f.NewSheet(metaSheet); err != nil {
		return err
	}
	for i, kv := range [][2]string{{"plan", p.ID}, {"version", strconv.FormatInt(p.Version, 10)}, {"metric", p.Metric.Key}} {
		row := strconv.Itoa(i + 1)
		if err := f.SetCellStr(metaSheet, "A"+row, kv[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(metaSheet, "B"+row, kv[1]); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.SetSheetVisible(metaSheet, false)
}

// styles are the cell styles of a level sheet.
type styles struct{ header, number, total int }

func newStyles(f *excelize.File, places int32) (styles, error) {
	num := "#,##0"
	if places > 0 {
		num += "." + strings.Repeat("0", int(places))
	}
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, err
	}
	if s.number, err = f.NewStyle(&excelize.Style{CustomNumFmt: &num}); err != nil {
		return s, err
	}
	s.total, err = f.NewStyle(&excelize.Style{CustomNumFmt: &num, Font: &excelize.Font{Bold: true}})
	return s, err
}

// writeLevel streams one level's sheet: the header, a row a unit, the
// totals.
func writeLevel(f *excelize.File, p *goal.Plan, org *goal.Org, l level, st styles) error {
	sw, err := f.NewStreamWriter(l.name)
	if err != nil {
		return err
	}
	last := firstPeriod + len(l.periods) - 1
	if err := sw.SetColVisible(colID, colID, false); err != nil {
		return err
	}
	if err := sw.SetColWidth(colUnit, colParent, 20); err != nil {
		return err
	}
	if err := sw.SetColWidth(firstPeriod, last, 16); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: colParent, YSplit: 1, TopLeftCell: "D2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	header := append([]any(nil), fixedHeader...)
	for _, per := range l.periods {
		header = append(header, per.Label)
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: st.header}); err != nil {
		return err
	}
	rows, parents, sums := levelCells(p, l, st.number)
	for i, u := range l.units {
		row := append([]any{u, unitName(org, u), unitName(org, parents[u])}, rows[u]...)
		if err := sw.SetRow(cellName(colID, i+2), row); err != nil {
			return err
		}
	}
	totals := []any{nil, excelize.Cell{StyleID: st.header, Value: totalLabel}, nil}
	first, end := 2, len(l.units)+1
	for i := range l.periods {
		c, _ := excelize.ColumnNumberToName(firstPeriod + i)
		totals = append(totals, excelize.Cell{StyleID: st.total, Formula: fmt.Sprintf("SUM(%s%d:%s%d)", c, first, c, end), Value: sums[i].InexactFloat64()})
	}
	if err := sw.SetRow(cellName(colID, end+1), totals); err != nil {
		return err
	}
	return sw.Flush()
}

// levelCells are the target cells of l's units, one a period column, each
// unit's parent unit (the unit of its goals' parent goal), and the sum of
// each period column.
func levelCells(p *goal.Plan, l level, style int) (map[string][]any, map[string]string, []decimal.Decimal) {
	col := make(map[string]int, len(l.periods))
	for i, per := range l.periods {
		col[per.Label] = i
	}
	rows := make(map[string][]any, len(l.units))
	for _, u := range l.units {
		rows[u] = make([]any, len(l.periods))
	}
	parents := map[string]string{}
	sums := make([]decimal.Decimal, len(l.periods))
	for _, g := range p.Goals {
		row, ok := rows[g.Unit]
		if !ok {
			continue
		}
		c := col[g.Period.Label]
		row[c] = targetCell(g.Target, p.Metric.Places, style)
		sums[c] = sums[c].Add(g.Target)
		if _, ok := parents[g.Unit]; !ok && g.Parent != "" {
			if pg, err := p.Goal(g.Parent); err == nil && pg.Unit != g.Unit {
				parents[g.Unit] = pg.Unit
			}
		}
	}
	return rows, parents, sums
}

// targetCell is a target as a number when it has at most 15 significant
// digits (what a double, and a spreadsheet, keep exactly), else as text.
func targetCell(v decimal.Decimal, places int32, style int) excelize.Cell {
	if v.NumDigits() <= maxNumberDigits {
		return excelize.Cell{StyleID: style, Value: v.InexactFloat64()}
	}
	return excelize.Cell{StyleID: style, Value: v.StringFixed(places)}
}

// maxNumberDigits is the precision of spreadsheet numbers (and of
// excelize's reading of them): 15 significant digits.
const maxNumberDigits = 15

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

func unitName(org *goal.Org, id string) string {
	if org == nil || id == "" {
		return id
	}
	if u, err := org.Unit(id); err == nil && u.Name != "" {
		return u.Name
	}
	return id
}

// levels splits p's units into org levels: a unit's level is how many
// other units its first goal descends from. Units keep plan order; a
// level's periods are those its units have goals for, longest grain
// first, then by start.
func levels(p *goal.Plan, org *goal.Org) []level {
	depth := make(map[string]int, len(p.Goals)) // by goal ID
	unitLevel := map[string]int{}
	var out []level
	for _, g := range p.Goals {
		d := 0
		if g.Parent != "" {
			pg, _ := p.Goal(g.Parent)
			d = depth[g.Parent]
			if pg.Unit != g.Unit {
				d++
			}
		}
		depth[g.ID] = d
		if _, ok := unitLevel[g.Unit]; ok {
			continue
		}
		unitLevel[g.Unit] = d
		for len(out) <= d {
			out = append(out, level{})
		}
		out[d].units = append(out[d].units, g.Unit)
	}
	type levelPeriod struct {
		level int
		label string
	}
	seen := map[levelPeriod]bool{}
	for _, g := range p.Goals {
		l := &out[unitLevel[g.Unit]]
		if k := (levelPeriod{unitLevel[g.Unit], g.Period.Label}); !seen[k] {
			seen[k] = true
			l.periods = append(l.periods, g.Period)
		}
	}
	out = slices.DeleteFunc(out, func(l level) bool { return len(l.units) == 0 })
	used := map[string]bool{metaSheet: true}
	for i := range out {
		slices.SortStableFunc(out[i].periods, func(a, b goal.Period) int {
			if c := cmp.Compare(b.Grain, a.Grain); c != 0 {
				return c
			}
			return cmp.Compare(a.Start, b.Start)
		})
		out[i].name = sheetName(org, out[i].units, i+1, used)
	}
	return out
}

// sheetName names a level after its units' kind when they share one, else
// "level N"; names are made unique and fit Excel's rules (31 characters,
// none of :\/?*[]).
func sheetName(org *goal.Org, units []string, n int, used map[string]bool) string {
	kind := ""
	for i, id := range units {
		k := ""
		if org != nil {
			if u, err := org.Unit(id); err == nil {
				k = u.Kind
			}
		}
		if i > 0 && k != kind {
			kind = ""
			break
		}
		kind = k
	}
	kind = strings.Map(func(r rune) rune {
		if strings.ContainsRune(":\\/?*[]'", r) {
			return '_'
		}
		return r
	}, kind)
	if r := []rune(kind); len(r) > 24 {
		kind = string(r[:24])
	}
	name := kind
	if name == "" || strings.EqualFold(name, metaSheet) {
		name = "level " + strconv.Itoa(n)
	}
	for base, i := name, 2; used[strings.ToLower(name)]; i++ {
		name = base + " " + strconv.Itoa(i)
	}
	used[strings.ToLower(name)] = true
	return name
}
