package exchange

import (
	"io"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/csvtable"
)

// unitCodec is the org, one unit a row: id, parent, kind, name,
// active_from, active_until, earlier (the earlier parents as JSON,
// [{"parent":"north","until":"2026-04-01"}]).
var unitCodec = &codec[goal.Unit]{
	required: []string{"id", "parent"},
	optional: []string{"kind", "name", "active_from", "active_until", "earlier"},
	fromCSV: func(t *csvtable.Reader) goal.Unit {
		u := goal.Unit{ID: t.Required("id"), Parent: t.Text("parent"), Kind: optional(t, "kind"), Name: optional(t, "name")}
		if t.Has("active_from") {
			u.ActiveFrom = dateField(t, "active_from")
		}
		if t.Has("active_until") {
			u.ActiveUntil = dateField(t, "active_until")
		}
		u.Earlier = jsonField[[]goal.Tenure](t, "earlier", `[{"parent":"north","until":"2026-04-01"}]`)
		return u
	},
	toCSV: func(u goal.Unit, row []string) []string {
		return append(row, u.ID, u.Parent, u.Kind, u.Name, dateText(u.ActiveFrom), dateText(u.ActiveUntil), jsonText(u.Earlier, len(u.Earlier) == 0))
	},
	check: func(u goal.Unit) (string, string) {
		if u.ID == "" {
			return "id", "the unit ID is empty; give every unit an ID"
		}
		return "", ""
	},
}

// NewUnitReader reads units from r; file names r in errors.
func NewUnitReader(r io.Reader, f Format, file string) *Reader[goal.Unit] {
	return newReader(r, f, file, unitCodec)
}

// NewUnitWriter writes units to w.
func NewUnitWriter(w io.Writer, f Format) *Writer[goal.Unit] {
	return newWriter(w, f, unitCodec)
}
