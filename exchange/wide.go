package exchange

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/csvtable"
)

// The wide sheet is the plan a manager edits in a spreadsheet: units down,
// periods across. Its columns are "id" (the unit ID: hide it, never edit
// it), "unit" (the unit's name, for reading) and one column a period label,
// the longest periods first ("2026", "2026-Q1", ..., "2026-01", ...). A
// cell is the unit's target for that period, in the metric's places; a
// cell is empty where the unit has no goal for the period.

// WriteWide writes plan p as a wide sheet. names gives a unit's name for
// the "unit" column; nil writes the unit ID there too.
func WriteWide(w io.Writer, p *goal.Plan, names func(unit string) string) error {
	periods := widePeriods(p)
	cw := csv.NewWriter(w)
	header := []string{"id", "unit"}
	col := map[string]int{}
	for i, per := range periods {
		header = append(header, per.Label)
		col[per.Label] = 2 + i
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("exchange: write wide sheet of plan %q: %w", p.ID, err)
	}
	rows := map[string][]string{}
	var units []string
	for _, g := range p.Goals {
		row, ok := rows[g.Unit]
		if !ok {
			name := g.Unit
			if names != nil {
				name = names(g.Unit)
			}
			row = make([]string, len(header))
			row[0], row[1] = g.Unit, name
			rows[g.Unit] = row
			units = append(units, g.Unit)
		}
		row[col[g.Period.Label]] = g.Target.StringFixed(p.Metric.Places)
	}
	for _, u := range units {
		if err := cw.Write(rows[u]); err != nil {
			return fmt.Errorf("exchange: write wide sheet of plan %q: %w", p.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("exchange: write wide sheet of plan %q: %w", p.ID, err)
	}
	return nil
}

// widePeriods are the plan's distinct periods, longest grain first, then
// by start.
func widePeriods(p *goal.Plan) []goal.Period {
	seen := map[string]bool{}
	var out []goal.Period
	for _, g := range p.Goals {
		if !seen[g.Period.Label] {
			seen[g.Period.Label] = true
			out = append(out, g.Period)
		}
	}
	slices.SortStableFunc(out, func(a, b goal.Period) int {
		if c := cmp.Compare(b.Grain, a.Grain); c != 0 {
			return c
		}
		return cmp.Compare(a.Start, b.Start)
	})
	return out
}

// Edit is what an edited wide sheet would do to its plan: the plan with the
// new targets (not saved), the cells that changed, and the parents whose
// children no longer sum to them (goal.Plan.Check), for a preview before
// anything is saved.
type Edit struct {
	Plan       *goal.Plan
	Changes    []goal.TargetChange // goal.Diff of the plan read and the edited one
	Unbalanced []goal.Discrepancy
}

// ReadWide reads an edited wide sheet of plan p. Every bad cell (a target
// that is not a number or has more places than the metric, a unit or
// period not in the plan, a cleared target, a target where the unit has no
// goal) is in the *ImportError, and p is never changed: the edited plan is
// a copy in Edit.Plan, to save with Engine.SavePlan after the preview.
func ReadWide(r io.Reader, file string, p *goal.Plan) (Edit, error) {
	t, err := csvtable.NewReader(r, "id")
	if err != nil {
		if re, ok := rowError(err, file); ok {
			return Edit{}, &ImportError{File: file, Rows: []RowError{re}, Bad: 1}
		}
		return Edit{}, err
	}
	q, err := p.Clone()
	if err != nil {
		return Edit{}, fmt.Errorf("exchange: read wide sheet %s: %w", file, err)
	}
	byCell := map[[2]string]int{}
	labels := map[string]bool{}
	for i, g := range q.Goals {
		byCell[[2]string{g.Unit, g.Period.Label}] = i
		labels[g.Period.Label] = true
	}
	bad := &ImportError{File: file}
	var cols []string
	for _, h := range t.Header() {
		switch {
		case h == "id" || h == "unit":
		case labels[h]:
			cols = append(cols, h)
		default:
			bad.add(RowError{File: file, Line: 1, Column: h, Value: h, Reason: "no goal of the plan has this period; keep the period columns as exported"})
		}
	}
	for {
		if err := t.Next(); err == io.EOF {
			break
		} else if err != nil {
			if re, ok := rowError(err, file); ok {
				bad.add(re)
				continue
			}
			return Edit{}, err
		}
		unit := t.Text("id")
		for _, c := range cols {
			wideCell(t, q, byCell, unit, c)
		}
		if err := t.Err(); err != nil {
			re, _ := rowError(err, file)
			bad.add(re)
		}
	}
	if err := bad.orNil(); err != nil {
		return Edit{}, err
	}
	changes, err := goal.Diff(p, q)
	if err != nil {
		return Edit{}, fmt.Errorf("exchange: read wide sheet %s: %w", file, err)
	}
	return Edit{Plan: q, Changes: changes, Unbalanced: q.Check()}, nil
}

// wideCell reads one cell into q, or fails the cell.
func wideCell(t *csvtable.Reader, q *goal.Plan, byCell map[[2]string]int, unit, col string) {
	v := t.Decimal(col)
	i, ok := byCell[[2]string{unit, col}]
	switch {
	case t.Err() != nil:
		return
	case !ok && v.Valid:
		t.Fail(col, fmt.Errorf("unit %q has no goal for %s in this plan; leave the cell empty", unit, col))
		return
	case !ok:
		return
	case !v.Valid:
		t.Fail(col, fmt.Errorf("the target is empty; write 0 to clear it"))
		return
	}
	g := q.Goals[i]
	if v.Decimal.Equal(g.Target) {
		return
	}
	if err := q.SetTarget(g.ID, v.Decimal); err != nil {
		t.Fail(col, err)
	}
}
