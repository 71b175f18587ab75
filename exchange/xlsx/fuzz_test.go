package xlsx_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/exchange/xlsx"
	"github.com/goalkit/goalkit/storage"
)

// FuzzRead feeds Read any bytes, seeded with an exported workbook and an
// edited one: it never panics, fails only with exchange.ErrInvalid or
// storage.ErrConflict, never changes the plan it reads against, and an
// edit it returns holds a plan of the same goals.
func FuzzRead(f *testing.F) {
	p := plan(f)
	book := export(f, p)
	f.Add(book)
	f.Add(edit(f, book, map[string]any{"rep!E2": "ten", "rep!F3": 1.5, "region!A9": "x"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ed, err := xlsx.Read(bytes.NewReader(b), "fuzz.xlsx", p)
		if err != nil {
			if !errors.Is(err, exchange.ErrInvalid) && !errors.Is(err, storage.ErrConflict) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(ed.Plan.Goals) != len(p.Goals) {
			t.Fatalf("the edit has %d goals, the plan %d", len(ed.Plan.Goals), len(p.Goals))
		}
		requirePlan(t, plan(t), p)
	})
}
