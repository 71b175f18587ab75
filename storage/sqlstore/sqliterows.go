package sqlstore

import (
	"context"
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
)

// SQLite takes a batch as multi-row INSERTs, and modernc.org/sqlite
// (SQLite transpiled to Go) pays for every bound argument: a lookup of the
// parameter's name, and for text a C copy. So a row binds only what varies
// from fact to fact: the tenant is ?1, bound once per statement and named
// again in every row (an anonymous ? after it takes the next number), and
// the usual fact, a lean one (leanFact), writes NULL literals for the
// columns it never uses: 8 arguments a row instead of 14.

// The rows of the facts INSERT: every column of factColumns, then v_hi
// and v_lo (ownValue). retracted is false for every fact written.
const (
	leanFactRow  = "(?1, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, 0, NULL, ?, ?)"
	fullFactRow  = "(?1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
	leanFactArgs = 8
	fullFactArgs = 12
)

// writeFactsSQLite is writeFacts for SQLite: the lean facts at idx, then
// the others, factChunk rows a statement.
func (t *tx) writeFactsSQLite(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int, skipped map[string]bool) error {
	var lean, full []int
	for _, i := range idx {
		if leanFact(facts[i]) {
			lean = append(lean, i)
		} else {
			full = append(full, i)
		}
	}
	head := "INSERT INTO " + t.s.t.facts + " (" + strings.Join(factColumns, ", ") + ", v_hi, v_lo) VALUES "
	tail := ""
	var inserted map[string]bool
	if skipped != nil {
		tail = " ON CONFLICT (tenant, fact_key) DO NOTHING RETURNING fact_key"
		inserted = make(map[string]bool, len(idx))
	}
	args := make([]any, 0, 1+factChunk*fullFactArgs)
	for _, shape := range []struct {
		idx  []int
		row  string
		lean bool
	}{{lean, leanFactRow, true}, {full, fullFactRow, false}} {
		err := chunk(len(shape.idx), factChunk, func(lo, hi int) error {
			args = append(args[:0], t.s.cfg.Tenant)
			for _, i := range shape.idx[lo:hi] {
				f := facts[i]
				vh, vl := ownValue(f)
				args = append(args, f.Key, f.Metric, f.Unit, dayArg(f.Date), decArg(f.Value), f.Currency)
				if !shape.lean {
					args = append(args, encodeCredits(f.Credits), encodeMap(f.Dims), encodeParts(f, parts[i]), encodeExtra(f))
				}
				args = append(args, vh, vl)
			}
			q := head + rowsOf(shape.row, hi-lo) + tail
			if skipped == nil {
				_, err := t.execMany(ctx, hi-lo == factChunk, q, args...)
				return err
			}
			rows, err := t.queryMany(ctx, hi-lo == factChunk, q, args...)
			return addKeys(rows, err, inserted)
		})
		if err != nil {
			return err
		}
	}
	if skipped != nil {
		for _, i := range idx {
			if !inserted[facts[i].Key] {
				skipped[facts[i].Key] = true
			}
		}
	}
	return nil
}

// leanFact says whether f stores NULL credits, dims, parts and extra (the
// encoders return nil): a simple fact with no dims and no conversion
// (working days need a range, record.CheckFact says).
func leanFact(f kpi.Fact) bool {
	return simple(f) && len(f.Dims) == 0 && f.Converted == nil
}
