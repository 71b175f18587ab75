package exchange

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/internal/csvtable"
)

// ErrInvalid reports an import that holds bad rows; an *ImportError carries
// them and matches it with errors.Is.
var ErrInvalid = errors.New("exchange: invalid input")

// MaxRowErrors caps the rows an ImportError lists; ImportError.Bad still
// counts them all.
const MaxRowErrors = 1000

// RowError is one bad row: where it is (file, line, column) and what to do.
type RowError struct {
	File   string
	Line   int    // 1-based line the row (or JSON value) starts on
	Column string // the CSV column or JSON field; empty for the whole row
	Value  string // the column's text, when Column is set
	Reason string // what is wrong and how to fix it
}

// Error reads `file:line: column "text": reason`, the shape of the dataset
// loaders' errors.
func (e RowError) Error() string {
	return (&csvtable.Error{File: e.File, Line: e.Line, Column: e.Column, Value: e.Value, Err: errors.New(e.Reason)}).Error()
}

// ImportError lists the bad rows of an import (the first MaxRowErrors of
// them) and matches ErrInvalid.
type ImportError struct {
	File string
	Rows []RowError
	Bad  int // bad rows in all
}

// Error lists the bad rows, up to the number it keeps.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "exchange: %s: %d bad row(s); fix them and import again", e.name(), e.Bad)
	for i, r := range e.Rows {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", e.Bad-5)
			break
		}
		b.WriteString("; ")
		b.WriteString(r.Error())
	}
	return b.String()
}

func (e *ImportError) name() string {
	if e.File == "" {
		return "input"
	}
	return e.File
}

// Unwrap makes an ImportError match ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// add records a bad row.
func (e *ImportError) add(r RowError) {
	e.Bad++
	if len(e.Rows) < MaxRowErrors {
		e.Rows = append(e.Rows, r)
	}
}

// orNil returns e when it holds a bad row, else nil.
func (e *ImportError) orNil() error {
	if e.Bad == 0 {
		return nil
	}
	return e
}

// rowError turns a reader's error into a RowError in file, or reports
// false for an error that is not about one row (an I/O error).
func rowError(err error, file string) (RowError, bool) {
	if e, ok := errors.AsType[*csvtable.Error](err); ok {
		return RowError{File: file, Line: e.Line, Column: e.Column, Value: e.Value, Reason: e.Err.Error()}, true
	}
	if e, ok := errors.AsType[*RowError](err); ok {
		e.File = file
		return *e, true
	}
	return RowError{}, false
}
