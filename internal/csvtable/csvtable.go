// Package csvtable reads a CSV file with a header row (encoding/csv: CRLF or
// LF, quoted fields; a leading UTF-8 BOM is dropped) record by record, with
// fields addressed by column name, and reports malformed input as an
// [*Error] naming the file, line and column. It is the shared reader of the
// dataset loaders (internal/mavencrm, internal/superstore).
//
// Field getters record the first error of a record instead of returning it,
// so that a parser reads every field and the record is checked once; [Read]
// does that for every record:
//
//	deals, err := csvtable.Read(r, columns, func(t *csvtable.Reader) Deal {
//		return Deal{ID: t.Required("opportunity_id"), Value: t.Decimal("close_value")}
//	})
package csvtable

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Error is malformed input: the file (set by [InFile]), the line where the
// problem is, the column and its text when it is about one field.
type Error struct {
	File   string
	Line   int    // 1-based; 0 for an empty input
	Column string // the header's name; empty for the record or the file
	Value  string // the field's text, when Column is set
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	} else {
		b.WriteString("line ")
	}
	b.WriteString(strconv.Itoa(e.Line))
	b.WriteString(": ")
	if e.Column != "" {
		fmt.Fprintf(&b, "%s %q: ", e.Column, e.Value)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// InFile names the file in err: an [*Error] gets its File set, anything
// else is wrapped as "file: err". A nil err stays nil.
func InFile(err error, file string) error {
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok {
		e.File = file
		return err
	}
	return fmt.Errorf("%s: %w", file, err)
}

// Reasons an [*Error] wraps, for errors.Is.
var (
	ErrEmpty         = errors.New("empty input: no header")
	ErrMissingColumn = errors.New("missing column")
	ErrRequired      = errors.New("required, but empty")
	ErrText          = errors.New("not UTF-8 text without control characters")
	ErrNumber        = errors.New("not a plain decimal number")
	ErrDuplicate     = errors.New("duplicate")
)

// Reader reads the records after the header.
type Reader struct {
	csv    *csv.Reader
	col    map[string]int
	header []string
	rec    []string
	err    error // the first error of the current record
}

// NewReader reads the header from r and checks that it has each of the
// columns, which may come in any order among others.
func NewReader(r io.Reader, columns ...string) (*Reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	t := &Reader{csv: csv.NewReader(br), col: map[string]int{}}
	header, err := t.csv.Read()
	if err == io.EOF {
		return nil, &Error{Err: ErrEmpty}
	}
	if err != nil {
		return nil, csvError(err)
	}
	t.header = header
	for i, h := range header {
		if _, dup := t.col[h]; dup {
			return nil, &Error{Line: 1, Err: fmt.Errorf("%w column %q in the header", ErrDuplicate, h)}
		}
		t.col[h] = i
	}
	for _, c := range columns {
		if _, ok := t.col[c]; !ok {
			return nil, &Error{Line: 1, Err: fmt.Errorf("%w %q (the header has %q)", ErrMissingColumn, c, header)}
		}
	}
	return t, nil
}

// Read reads every record after the header with row, which reads the
// fields it needs and may [Reader.Fail]. The first record with an error
// ends the reading with that error.
func Read[T any](r io.Reader, columns []string, row func(*Reader) T) ([]T, error) {
	t, err := NewReader(r, columns...)
	if err != nil {
		return nil, err
	}
	var out []T
	for {
		if err := t.Next(); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		v := row(t)
		if err := t.Err(); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// ReadFile opens path and reads it with parse, naming the file in the error
// ([InFile]). A missing file is the *fs.PathError of os.Open.
func ReadFile[T any](path string, parse func(io.Reader) ([]T, error)) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := parse(f)
	return rows, InFile(err, path)
}

// csvError turns encoding/csv's error into an *Error.
func csvError(err error) error {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return &Error{Line: pe.Line, Err: fmt.Errorf("%w (byte %d of the line)", pe.Err, pe.Column)}
	}
	return err
}

// Next reads the next record; it returns io.EOF after the last.
func (t *Reader) Next() error {
	rec, err := t.csv.Read()
	if err != nil {
		t.rec = nil
		return csvError(err)
	}
	t.rec, t.err = rec, nil
	return nil
}

// Line is the line the current record starts on.
func (t *Reader) Line() int {
	line, _ := t.csv.FieldPos(0)
	return line
}

// Err is the first error recorded for the current record.
func (t *Reader) Err() error { return t.err }

// Has reports whether the header has the column, for optional columns.
func (t *Reader) Has(col string) bool {
	_, ok := t.col[col]
	return ok
}

// Header is the header row as read.
func (t *Reader) Header() []string { return t.header }

// raw is the column's field; the column must be one NewReader checked.
func (t *Reader) raw(col string) string {
	i, ok := t.col[col]
	if !ok {
		panic(fmt.Sprintf("csvtable: column %q was not asked of NewReader", col))
	}
	return t.rec[i]
}

// Fail records err for the column of the current record, unless an earlier
// error is recorded already, and returns the record's error.
func (t *Reader) Fail(col string, err error) error {
	if t.err == nil {
		line, _ := t.csv.FieldPos(t.col[col])
		t.err = &Error{Line: line, Column: col, Value: t.raw(col), Err: err}
	}
	return t.err
}

// Text is the column's field. Text that is not UTF-8, or holds a control
// character (a newline in a quoted field, a tab), is an error.
func (t *Reader) Text(col string) string {
	s := t.raw(col)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		t.Fail(col, ErrText)
		return ""
	}
	return s
}

// Required is [Reader.Text] that must not be empty.
func (t *Reader) Required(col string) string {
	s := t.Text(col)
	if s == "" {
		t.Fail(col, ErrRequired)
	}
	return s
}

// Decimal is the column's number, invalid when the field is empty. Only
// plain notation is taken: an optional minus, digits, and a point followed by
// digits ("1054", "-383.031", "0.2"), at most 30 digits in all.
func (t *Reader) Decimal(col string) decimal.NullDecimal {
	s := t.raw(col)
	if s == "" {
		return decimal.NullDecimal{}
	}
	if !plainNumber(s, true) {
		t.Fail(col, ErrNumber)
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(decimal.RequireFromString(s))
}

// Int is the column's whole number: an optional minus and at most 18 digits.
// An empty field is an error.
func (t *Reader) Int(col string) int {
	s := t.raw(col)
	if s == "" {
		t.Fail(col, ErrRequired)
		return 0
	}
	if !plainNumber(s, false) || len(strings.TrimPrefix(s, "-")) > 18 {
		t.Fail(col, ErrNumber)
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// plainNumber reports whether s is -?digits(.digits)?, the point only when
// fraction is set, with at most 30 digits.
func plainNumber(s string, fraction bool) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if hasPoint && (!fraction || frac == "") {
		return false
	}
	if intPart == "" || len(intPart)+len(frac) > 30 {
		return false
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Field parses the column's field with parse, recording its error.
func Field[T any](t *Reader, col string, parse func(string) (T, error)) T {
	v, err := parse(t.raw(col))
	if err != nil {
		t.Fail(col, err)
	}
	return v
}
