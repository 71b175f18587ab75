package exchange

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"

	"github.com/goalkit/goalkit/internal/csvtable"
)

// Reader streams records of one kind (units, goal rows, facts, deals) from
// CSV or JSON, one at a time: nothing is read ahead beyond a buffer. It is
// not safe for concurrent use.
type Reader[T any] struct {
	file  string
	table *csvtable.Reader
	json  *jsonStream
	codec *codec[T]
	line  int
	err   error // a fatal error, returned again by every Next
}

// codec is how one kind of record is read and written.
type codec[T any] struct {
	required []string                        // CSV columns that must be present
	optional []string                        // CSV columns that may be absent
	fromCSV  func(*csvtable.Reader) T        // reads a record; errors go to Fail
	toCSV    func(T, []string) []string      // appends the fields in header order
	toJSON   func(T) any                     // the JSON value; nil means T itself
	check    func(T) (column, reason string) // a record's own check, after JSON too
}

func (c *codec[T]) header() []string {
	return append(append([]string(nil), c.required...), c.optional...)
}

func newReader[T any](r io.Reader, f Format, file string, c *codec[T]) *Reader[T] {
	rd := &Reader[T]{file: file, codec: c}
	if f == JSON {
		rd.json = newJSONStream(r)
		return rd
	}
	t, err := csvtable.NewReader(r, c.required...)
	if err != nil {
		if re, ok := rowError(err, file); ok {
			re.Reason += "; the header must name the columns " + quoteList(c.header())
			err = &ImportError{File: file, Rows: []RowError{re}, Bad: 1}
		}
		rd.err = err
		return rd
	}
	known := map[string]bool{}
	for _, h := range c.header() {
		known[h] = true
	}
	for _, h := range t.Header() {
		if !known[h] {
			rd.err = &ImportError{File: file, Bad: 1, Rows: []RowError{{File: file, Line: 1, Column: h, Value: h,
				Reason: "unknown column; the columns are " + quoteList(c.header())}}}
			return rd
		}
	}
	rd.table = t
	return rd
}

// Next returns the next record. At the end it returns io.EOF. A bad record
// is a *RowError (reading may go on with the next one), returned with the
// record as far as it could be read; any other error (I/O, a header that
// does not fit) ends the reading.
func (r *Reader[T]) Next() (T, error) {
	var zero T
	if r.err != nil {
		return zero, r.err
	}
	v, err := r.next()
	if err == nil && r.codec.check != nil {
		if col, reason := r.codec.check(v); reason != "" {
			err = &RowError{File: r.file, Line: r.line, Column: col, Reason: reason}
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		if re, ok := rowError(err, r.file); ok {
			return v, &re
		}
		r.err = err
	}
	if err != nil {
		return zero, err
	}
	return v, nil
}

func (r *Reader[T]) next() (T, error) {
	var v T
	if r.json != nil {
		raw, line, err := r.json.next()
		r.line = line
		if err == io.EOF {
			return v, err
		}
		if err != nil {
			// A syntax error leaves the stream unreadable: stop.
			r.err = &ImportError{File: r.file, Bad: 1, Rows: []RowError{{File: r.file, Line: line, Reason: "not JSON: " + err.Error()}}}
			return v, r.err
		}
		if re := decodeJSON(raw, line, &v); re != nil {
			return v, re
		}
		return v, nil
	}
	if err := r.table.Next(); err != nil {
		return v, err
	}
	r.line = r.table.Line()
	v = r.codec.fromCSV(r.table)
	return v, r.table.Err()
}

// Line is the line the last record read starts on.
func (r *Reader[T]) Line() int { return r.line }

// Writer streams records of one kind as CSV (a header, then a row a record)
// or JSON lines. Call Flush at the end. It is not safe for concurrent use.
type Writer[T any] struct {
	csv    *csv.Writer
	json   *json.Encoder
	codec  *codec[T]
	header bool
	row    []string
}

func newWriter[T any](w io.Writer, f Format, c *codec[T]) *Writer[T] {
	if f == JSON {
		return &Writer[T]{json: json.NewEncoder(w), codec: c}
	}
	return &Writer[T]{csv: csv.NewWriter(w), codec: c}
}

// Write writes one record.
func (w *Writer[T]) Write(v T) error {
	if w.json != nil {
		if w.codec.toJSON != nil {
			return w.json.Encode(w.codec.toJSON(v))
		}
		return w.json.Encode(v)
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.row = w.codec.toCSV(v, w.row[:0])
	return w.csv.Write(w.row)
}

func (w *Writer[T]) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	return w.csv.Write(w.codec.header())
}

// Flush writes what is buffered (and a CSV header, if no record was
// written) and returns the first write error.
func (w *Writer[T]) Flush() error {
	if w.csv == nil {
		return nil
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.csv.Flush()
	return w.csv.Error()
}

func quoteList(cols []string) string {
	b, _ := json.Marshal(cols)
	return string(b)
}
