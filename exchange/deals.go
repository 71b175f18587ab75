package exchange

import (
	"fmt"
	"io"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/internal/csvtable"
)

// DealRow is one transition of a deal in CSV: the deal's fields repeat on
// every row of its history, and consecutive rows with one ID are one deal.
// In JSON a deal is one funnel.Deal value with its transitions.
type DealRow struct {
	funnel.Deal
	Stage funnel.Transition
}

// dealCodec is deals, one transition a row: id, unit, value, stage, date,
// funnel, currency, expected_close.
var dealCodec = &codec[DealRow]{
	required: []string{"id", "unit", "value", "stage", "date"},
	optional: []string{"funnel", "currency", "expected_close"},
	fromCSV: func(t *csvtable.Reader) DealRow {
		d := funnel.Deal{ID: t.Required("id"), Funnel: optional(t, "funnel"), Unit: t.Required("unit"),
			Value: decimalField(t, "value"), Currency: optional(t, "currency")}
		if t.Has("expected_close") {
			d.ExpectedClose = dateField(t, "expected_close")
		}
		return DealRow{Deal: d, Stage: funnel.Transition{Stage: t.Required("stage"), Date: requiredDate(t, "date")}}
	},
	toCSV: func(r DealRow, row []string) []string {
		d := r.Deal
		return append(row, d.ID, d.Unit, fixed(d.Value), r.Stage.Stage, r.Stage.Date.String(), d.Funnel, d.Currency, dateText(d.ExpectedClose))
	},
}

// dealJSON reads and writes whole deals as JSON values.
var dealJSON = &codec[funnel.Deal]{
	toJSON: func(d funnel.Deal) any {
		return struct {
			funnel.Deal
			Value string `json:"value"` // with its places, "100.00"
		}{d, fixed(d.Value)}
	},
	check: func(d funnel.Deal) (string, string) {
		switch {
		case d.ID == "":
			return "id", "the deal ID is empty"
		case len(d.Transitions) == 0:
			return "transitions", "a deal needs at least the stage it entered at"
		}
		return "", ""
	},
}

// DealReader streams deals from CSV (grouping the rows of one deal) or
// JSON. It is not safe for concurrent use.
type DealReader struct {
	rows        *Reader[DealRow]
	json        *Reader[funnel.Deal]
	pending     *funnel.Deal
	pendingLine int
	line        int
	skip        string // the ID of a deal with a bad row
	held        error
}

// NewDealReader reads deals from r; file names r in errors.
func NewDealReader(r io.Reader, f Format, file string) *DealReader {
	if f == JSON {
		return &DealReader{json: newReader(r, f, file, dealJSON)}
	}
	return &DealReader{rows: newReader(r, f, file, dealCodec)}
}

// Next returns the next deal, io.EOF at the end, a *RowError for a bad
// row, or another error that ends the reading. A bad row rejects its whole
// deal: the rows of that ID around it are skipped, never imported as a
// shorter history.
func (r *DealReader) Next() (funnel.Deal, error) {
	if r.json != nil {
		return r.json.Next()
	}
	for {
		if r.held != nil { // an error held back until the pending deal is out
			if r.pending != nil {
				return r.flush(), nil
			}
			err := r.held
			if _, isRow := err.(*RowError); isRow {
				r.held = nil
			}
			return funnel.Deal{}, err
		}
		row, err := r.rows.Next()
		if re, isRow := err.(*RowError); isRow {
			if r.pending != nil && r.pending.ID == row.ID {
				r.pending = nil
			}
			r.skip = row.ID
			re.Reason += fmt.Sprintf("; deal %q is skipped whole", row.ID)
		}
		if err != nil {
			r.held = err
			continue
		}
		if row.ID == r.skip {
			continue
		}
		r.skip = ""
		if r.pending != nil && r.pending.ID == row.ID {
			r.pending.Transitions = append(r.pending.Transitions, row.Stage)
			continue
		}
		var out funnel.Deal
		had := r.pending != nil
		if had {
			out = r.flush()
		}
		d := row.Deal
		d.Transitions = []funnel.Transition{row.Stage}
		r.pending, r.pendingLine = &d, r.rows.Line()
		if had {
			return out, nil
		}
	}
}

// flush returns the pending deal and forgets it.
func (r *DealReader) flush() funnel.Deal {
	d := *r.pending
	r.pending, r.line = nil, r.pendingLine
	return d
}

// Line is the line the last deal returned starts on (its first row in CSV).
func (r *DealReader) Line() int {
	if r.json != nil {
		return r.json.Line()
	}
	return r.line
}

// DealWriter writes deals as CSV (a row a transition) or JSON lines (a
// value a deal). Call Flush at the end.
type DealWriter struct {
	rows *Writer[DealRow]
	json *Writer[funnel.Deal]
}

// NewDealWriter writes deals to w.
func NewDealWriter(w io.Writer, f Format) *DealWriter {
	if f == JSON {
		return &DealWriter{json: newWriter(w, f, dealJSON)}
	}
	return &DealWriter{rows: newWriter(w, f, dealCodec)}
}

// Write writes one deal.
func (w *DealWriter) Write(d funnel.Deal) error {
	if w.json != nil {
		return w.json.Write(d)
	}
	for _, t := range d.Transitions {
		if err := w.rows.Write(DealRow{Deal: d, Stage: t}); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes what is buffered and returns the first write error.
func (w *DealWriter) Flush() error {
	if w.json != nil {
		return w.json.Flush()
	}
	return w.rows.Flush()
}
