package xlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// MaxUnzipped bounds the bytes Read unpacks from a workbook, so that a
// small file cannot expand without end (a zip bomb). A plan of 100,000
// goals unpacks to a few megabytes.
const MaxUnzipped = 256 << 20

// Read reads an edited workbook of plan p (one written by Write) from r;
// file names it in errors. It returns the edited copy of p with the
// changed targets and the parents out of balance; p is never changed.
// Every bad cell is in the *WorkbookError (matching exchange.ErrInvalid).
// A workbook of another plan fails with exchange.ErrInvalid, one exported
// from another version of p with storage.ErrConflict.
func Read(r io.Reader, file string, p *goal.Plan) (exchange.Edit, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxUnzipped})
	if err != nil {
		return exchange.Edit{}, fmt.Errorf("xlsx: read %s: it is not an Excel workbook (%v); save it as .xlsx: %w", fileName(file), err, exchange.ErrInvalid)
	}
	defer f.Close()
	if err := checkMeta(f, file, p); err != nil {
		return exchange.Edit{}, err
	}
	q, err := p.Clone()
	if err != nil {
		return exchange.Edit{}, fmt.Errorf("xlsx: read %s: %w", fileName(file), err)
	}
	rd := &reader{plan: q, bad: &WorkbookError{File: file}, cell: map[[2]string]int{}, labels: map[string]bool{}, units: map[string]bool{}, seen: map[string]string{}}
	for i, g := range q.Goals {
		rd.cell[[2]string{g.Unit, g.Period.Label}] = i
		rd.labels[g.Period.Label] = true
		rd.units[g.Unit] = true
	}
	for _, sheet := range f.GetSheetList() {
		if sheet == metaSheet {
			continue
		}
		if err := rd.sheet(f, sheet); err != nil {
			return exchange.Edit{}, fmt.Errorf("xlsx: read %s: sheet %q: %w", fileName(file), sheet, err)
		}
	}
	if rd.bad.Bad > 0 {
		return exchange.Edit{}, rd.bad
	}
	changes, err := goal.Diff(p, q)
	if err != nil {
		return exchange.Edit{}, fmt.Errorf("xlsx: read %s: %w", fileName(file), err)
	}
	return exchange.Edit{Plan: q, Changes: changes, Unbalanced: q.Check()}, nil
}

// checkMeta checks that the workbook is of plan p at p's version.
func checkMeta(f *excelize.File, file string, p *goal.Plan) error {
	var meta [3]string
	for i := range meta {
		v, err := f.GetCellValue(metaSheet, "B"+strconv.Itoa(i+1))
		if err != nil {
			return fmt.Errorf("xlsx: read %s: it has no %q sheet, so it was not exported by goalkit; export the plan and edit that workbook: %w", fileName(file), metaSheet, exchange.ErrInvalid)
		}
		meta[i] = v
	}
	switch version := strconv.FormatInt(p.Version, 10); {
	case meta[0] != p.ID || meta[2] != p.Metric.Key:
		return fmt.Errorf("xlsx: read %s: it holds plan %q of metric %q, not plan %q of %q; import it into its own plan: %w", fileName(file), meta[0], meta[2], p.ID, p.Metric.Key, exchange.ErrInvalid)
	case meta[1] != version:
		return fmt.Errorf("xlsx: read %s: it was exported from version %s of plan %q, which is now at version %s; export the plan again and redo the edits there, so as not to undo the changes made since: %w", fileName(file), meta[1], p.ID, version, storage.ErrConflict)
	}
	return nil
}

// reader applies the cells of a workbook's sheets to plan.
type reader struct {
	plan   *goal.Plan
	bad    *WorkbookError
	cell   map[[2]string]int // goal index by unit and period label
	labels map[string]bool   // the plan's period labels
	units  map[string]bool   // the plan's units
	seen   map[string]string // unit → the first cell naming it
}

// sheet reads one sheet; a sheet whose A1 is not "id" is the manager's
// own and is skipped. It fails only when the sheet cannot be read.
func (rd *reader) sheet(f *excelize.File, sheet string) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	var periods []periodColumn
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		if n == 1 {
			if len(cols) == 0 || cols[0] != "id" {
				return nil
			}
			periods = rd.header(sheet, cols)
			continue
		}
		rd.row(sheet, n, cols, periods)
	}
	return rows.Error()
}

// periodColumn is a period's column on a sheet: its 0-based index and
// label.
type periodColumn struct {
	col   int
	label string
}

// header returns the period columns of a header row, left to right.
func (rd *reader) header(sheet string, cols []string) []periodColumn {
	var periods []periodColumn
	for i, h := range cols {
		switch {
		case i < firstPeriod-1 || h == "":
		case rd.labels[h]:
			periods = append(periods, periodColumn{i, h})
		default:
			rd.fail(sheet, i, 1, h, "no goal of the plan has this period; keep the period columns as exported")
		}
	}
	return periods
}

// row applies one unit's row.
func (rd *reader) row(sheet string, n int, cols []string, periods []periodColumn) {
	id := strings.TrimSpace(at(cols, colID-1))
	if id == "" {
		if at(cols, colUnit-1) == totalLabel {
			return
		}
		for _, p := range periods {
			if strings.TrimSpace(at(cols, p.col)) != "" {
				rd.fail(sheet, colID-1, n, "", "the row has no unit ID; add units and goals in goalkit, then export again")
				return
			}
		}
		return
	}
	here := cellName(colID, n)
	if first, ok := rd.seen[id]; ok {
		rd.fail(sheet, colID-1, n, id, fmt.Sprintf("unit %q has a row already at %s; keep one row a unit", id, first))
		return
	}
	rd.seen[id] = sheet + "!" + here
	if !rd.units[id] {
		rd.fail(sheet, colID-1, n, id, fmt.Sprintf("unit %q has no goal in plan %q; keep the hidden id column as exported", id, rd.plan.ID))
		return
	}
	for _, p := range periods {
		rd.target(sheet, p.col, n, id, p.label, strings.TrimSpace(at(cols, p.col)))
	}
}

// target applies one target cell.
func (rd *reader) target(sheet string, col, n int, unit, label, text string) {
	gi, ok := rd.cell[[2]string{unit, label}]
	switch {
	case !ok && text != "":
		rd.fail(sheet, col, n, text, fmt.Sprintf("unit %q has no goal for %s in this plan; leave the cell empty", unit, label))
		return
	case !ok:
		return
	case text == "":
		rd.fail(sheet, col, n, text, "the target is empty; write 0 to clear it")
		return
	}
	v, err := parseTarget(text, rd.plan.Metric.Places)
	if err != nil {
		rd.fail(sheet, col, n, text, err.Error())
		return
	}
	g := rd.plan.Goals[gi]
	if v.Equal(g.Target) {
		return
	}
	if err := rd.plan.SetTarget(g.ID, v); err != nil {
		rd.fail(sheet, col, n, text, err.Error())
	}
}

// parseTarget reads a cell's raw text as a target with at most places
// decimal places. A double that prints with more places (1234.5599999999999)
// is the number with places decimals that has the same double.
func parseTarget(text string, places int32) (decimal.Decimal, error) {
	if len(text) > 64 {
		return decimal.Decimal{}, fmt.Errorf("it is %d characters long, not a target; type a number such as 1200.50", len(text))
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("it is not a number; type the target as a number such as 1200.50, without thousands separators or a currency")
	}
	if err := goal.CheckDecimal("target", d); err != nil {
		return decimal.Decimal{}, err
	}
	if goal.FitsPlaces(d, places) {
		return d, nil
	}
	r := d.Round(places)
	if f, err := strconv.ParseFloat(text, 64); err == nil && r.InexactFloat64() == f {
		return r, nil
	}
	return decimal.Decimal{}, fmt.Errorf("it has more than %d decimal places; round it to %d", places, places)
}

func (rd *reader) fail(sheet string, col, row int, text, reason string) {
	rd.bad.add(CellError{Sheet: sheet, Cell: cellName(col+1, row), Value: text, Reason: reason})
}

func at(cols []string, i int) string {
	if i < len(cols) {
		return cols[i]
	}
	return ""
}
