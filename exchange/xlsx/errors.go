package xlsx

import (
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/exchange"
)

// CellError is one bad cell of an edited workbook: where it is and what
// to do.
type CellError struct {
	Sheet  string
	Cell   string // the cell reference, e.g. "E7"
	Value  string // the cell's text
	Reason string // what is wrong and how to fix it
}

// Error reads `sheet!E7 "text": reason`, the way a spreadsheet names a
// cell.
func (e CellError) Error() string {
	return fmt.Sprintf("%s!%s %q: %s", e.Sheet, e.Cell, e.Value, e.Reason)
}

// WorkbookError lists the bad cells of a workbook (the first
// exchange.MaxRowErrors of them) and matches exchange.ErrInvalid.
type WorkbookError struct {
	File  string
	Cells []CellError
	Bad   int // bad cells in all
}

// Error lists the first bad cells.
func (e *WorkbookError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "xlsx: %s: %d bad cell(s); fix them and import again", fileName(e.File), e.Bad)
	for i, c := range e.Cells {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", e.Bad-5)
			break
		}
		b.WriteString("; ")
		b.WriteString(c.Error())
	}
	return b.String()
}

// Unwrap makes a WorkbookError match exchange.ErrInvalid.
func (e *WorkbookError) Unwrap() error { return exchange.ErrInvalid }

func (e *WorkbookError) add(c CellError) {
	e.Bad++
	if len(e.Cells) < exchange.MaxRowErrors {
		e.Cells = append(e.Cells, c)
	}
}

func fileName(file string) string {
	if file == "" {
		return "workbook"
	}
	return file
}
