package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

const (
	factChunk   = 2000
	bucketChunk = 2000
)

// factSelect is the SELECT list of a stored fact (scanFact): its columns,
// then whether it is its own daily bucket (see months.go).
func (t *tx) factSelect() string {
	own := "parts IS NULL"
	if t.s.cfg.Dialect == SQLite {
		own = "v_hi IS NOT NULL"
	}
	return "fact_key, metric, unit, day, value, currency, credits, dims, retracted, parts, extra, " + own
}

func (t *tx) AppendFacts(ctx context.Context, facts []kpi.Fact) ([]storage.Outcome, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: append facts: %w", err)
	}
	out := make([]storage.Outcome, len(facts))
	first := make(map[string]int, len(facts))
	var news []int
	var conflict error
	for i, f := range facts {
		if err := record.CheckFact(f); err != nil {
			return nil, fmt.Errorf("sqlstore: append facts: %w", err)
		}
		j, seen := first[f.Key]
		switch {
		case !seen:
			first[f.Key] = i
			news = append(news, i)
		case kpi.SameFact(facts[j], f):
			out[i] = storage.Unchanged
		default:
			out[i] = storage.Conflicting
			if conflict == nil {
				conflict = record.FactConflict(f.Key)
			}
		}
	}
	parts := make([][]storage.Part, len(facts))
	for _, i := range news {
		p, err := t.s.cfg.Split(facts[i])
		if err != nil {
			return nil, fmt.Errorf("sqlstore: append facts: %w", err)
		}
		parts[i] = p
	}
	err := t.atomic(ctx, func() error {
		skipped, err := t.insertFacts(ctx, facts, parts, news)
		if err != nil {
			return err
		}
		var existing []string
		for _, i := range news {
			if skipped[facts[i].Key] {
				existing = append(existing, facts[i].Key)
			} else {
				out[i] = storage.Inserted
			}
		}
		if len(existing) > 0 {
			stored, err := t.loadFacts(ctx, existing)
			if err != nil {
				return err
			}
			for _, i := range news {
				if out[i] == storage.Inserted {
					continue
				}
				f := facts[i]
				if r, ok := stored[f.Key]; ok && kpi.SameFact(r.Fact, f) {
					out[i] = storage.Unchanged
					continue
				}
				out[i] = storage.Conflicting
				if conflict == nil {
					conflict = record.FactConflict(f.Key)
				}
			}
			// A later duplicate of a conflicting fact is no better.
			for i, f := range facts {
				if out[i] == storage.Unchanged && out[first[f.Key]] == storage.Conflicting {
					out[i] = storage.Conflicting
				}
			}
		}
		if conflict != nil {
			return conflict
		}
		if err := fault.At(ctx, fault.FactsWritten); err != nil {
			return err
		}
		deltas := newDeltas(len(news))
		for _, i := range news {
			if out[i] == storage.Inserted {
				deltas.add(facts[i], parts[i], simple(facts[i]), 1)
			}
		}
		return t.applyDeltas(ctx, deltas)
	})
	if err != nil {
		if errors.Is(err, storage.ErrConflict) {
			return out, fmt.Errorf("sqlstore: append facts: %w", err)
		}
		return nil, fmt.Errorf("sqlstore: append facts: %w", err)
	}
	return out, nil
}

// insertFacts inserts the facts at idx, skipping keys already stored, and
// returns the keys it skipped. A batch of new facts, the usual case of a
// load, is inserted plainly under a savepoint: the tenant's write lock
// (lock.go) keeps every other writer out, so the only key it can collide
// with is one already stored. If the plain insert fails for any reason, the
// store rolls back to the savepoint and inserts again with ON CONFLICT DO
// NOTHING, which finds the stored keys or fails with the real error; if it
// finds none, the plain insert's error was not a stored key, and is
// returned. A plain insert costs about half of one that checks each key's
// conflict and returns what it skipped.
func (t *tx) insertFacts(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int) (map[string]bool, error) {
	const sp = "goalkit_facts"
	if _, err := t.exec(ctx, "SAVEPOINT "+sp); err != nil {
		return nil, err
	}
	err := t.writeFacts(ctx, facts, parts, idx, nil)
	if err == nil {
		_, err = t.exec(ctx, "RELEASE SAVEPOINT "+sp)
		return nil, err
	}
	if _, rerr := t.exec(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+sp); rerr != nil {
		return nil, errors.Join(err, rerr)
	}
	skipped := map[string]bool{}
	if err2 := t.writeFacts(ctx, facts, parts, idx, skipped); err2 != nil {
		return nil, err2
	}
	if len(skipped) == 0 {
		// Not a stored key: a fault of the plain insert (a Copier of the
		// wrong driver, say) that the host must hear of.
		return nil, fmt.Errorf("insert facts: %w", err)
	}
	return skipped, nil
}

// writeFacts inserts the facts at idx: plainly (with the Copier, if the
// transaction has one) when skipped is nil, else skipping the keys already
// stored and adding them to skipped.
func (t *tx) writeFacts(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int, skipped map[string]bool) error {
	if skipped == nil && t.raw != nil {
		return t.copyFacts(ctx, facts, parts, idx)
	}
	if t.s.cfg.Dialect == PostgreSQL {
		return t.writeFactsPG(ctx, facts, parts, idx, skipped)
	}
	return t.writeFactsSQLite(ctx, facts, parts, idx, skipped)
}

// ownValue returns the v_hi and v_lo columns of a fact written to SQLite:
// a simple fact's value as daily's exact pair, which makes it its own
// daily bucket; NULL for any other fact.
func ownValue(f kpi.Fact) (hi, lo any) {
	if !simple(f) {
		return nil, nil
	}
	// CheckFact keeps a value below 10^21, within the pair's range.
	h, l, _ := hiLo(f.Value)
	return h, l
}

// addKeys adds the keys a query returned to into, and closes the rows.
func addKeys(rows *sql.Rows, err error, into map[string]bool) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		into[k] = true
	}
	return rows.Err()
}

// storedFact is a fact row with its parts.
type storedFact struct {
	storage.StoredFact
	parts []storage.Part
	own   bool // the row is its own daily bucket (see months.go)
}

func scanFact(rows interface{ Scan(...any) error }) (storedFact, error) {
	var r storedFact
	var credits, dims, parts, extra *string
	f := &r.Fact
	err := rows.Scan(&f.Key, &f.Metric, &f.Unit, dayScan{&f.Date}, dec{&f.Value}, &f.Currency, &credits, &dims, &r.Retracted, &parts, &extra, &r.own)
	if err != nil {
		return r, err
	}
	if err := decodeExtra(extra, f); err != nil {
		return r, err
	}
	if f.Credits, err = decodeCredits(credits); err != nil {
		return r, err
	}
	if f.Dims, err = decodeMap(dims); err != nil {
		return r, err
	}
	r.parts, err = decodeParts(*f, parts)
	return r, err
}

// loadFacts returns the stored facts with the given keys.
func (t *tx) loadFacts(ctx context.Context, keys []string) (map[string]storedFact, error) {
	out := make(map[string]storedFact, len(keys))
	err := chunk(len(keys), factChunk, func(lo, hi int) error {
		args := []any{t.s.cfg.Tenant}
		for _, k := range keys[lo:hi] {
			args = append(args, k)
		}
		rows, err := t.query(ctx, "SELECT "+t.factSelect()+" FROM "+t.s.t.facts+" WHERE tenant = ? AND fact_key IN "+placeholders(1, hi-lo), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanFact(rows)
			if err != nil {
				return err
			}
			out[r.Key] = r
		}
		return rows.Err()
	})
	return out, err
}

func (t *tx) loadFact(ctx context.Context, key string) (storedFact, error) {
	r, err := scanFact(t.queryRow(ctx, "SELECT "+t.factSelect()+" FROM "+t.s.t.facts+" WHERE tenant = ? AND fact_key = ?", t.s.cfg.Tenant, key))
	if errors.Is(err, sql.ErrNoRows) {
		return r, storage.ErrNotFound
	}
	return r, err
}

// applyDeltas adds the own deltas to the daily and the monthly buckets,
// in key order (see months.go).
func (t *tx) applyDeltas(ctx context.Context, deltas ownDeltas) error {
	if t.s.cfg.Dialect == PostgreSQL {
		return t.applyDeltasPG(ctx, deltas)
	}
	if err := t.upsertSQLite(ctx, t.s.t.daily, dayPairs, deltas.days); err != nil {
		return err
	}
	return t.upsertSQLite(ctx, t.s.t.monthly, monthPairs, deltas.monthly())
}

// pairs is how a SQLite bucket table keeps its exact totals:
// value·10^12 = hi·base + lo (see months.go).
type pairs struct {
	grain string // the bucket's period and key column: day or month
	table string // daily or monthly, as said to the host
	exp   int    // base = 10^exp
	limit string // the largest total, as said to the host
}

var (
	dayPairs   = pairs{grain: "day", table: "daily", exp: 15, limit: "±9.2×10^21"}
	monthPairs = pairs{grain: "month", table: "monthly", exp: 17, limit: "±9.2×10^23"}
)

// period names the bucket's day or month starting at d.
func (p pairs) period(d date.Date) string {
	if p.grain == "month" {
		return "in " + d.String()[:7]
	}
	return "on " + d.String()
}

// upsertSQLite adds the deltas to the buckets of table d, kept as p, with
// multi-row statements, prepared once per transaction. SQLite turns an
// int64 overflow into floating point, silently: a high part that is no
// longer an integer becomes NULL instead, which the NOT NULL column
// refuses (overflowMessage), so the write fails whole and no total is ever
// inexact.
func (t *tx) upsertSQLite(ctx context.Context, d string, p pairs, deltas rollup.Deltas) error {
	keys := deltas.Sorted()
	const width = 7 // and the tenant, ?1 (see sqliterows.go)
	base := pow10[p.exp]
	head := "INSERT INTO " + d + " (tenant, metric, unit, " + p.grain + ", v_hi, v_lo, n_hi, n_lo) VALUES "
	hiSum := func(col string) string {
		e := fmt.Sprintf("%[1]s.%[2]s_hi + excluded.%[2]s_hi + (%[1]s.%[2]s_lo + excluded.%[2]s_lo) / %[3]d", d, col, base)
		return fmt.Sprintf("CASE WHEN typeof(%[1]s) = 'integer' THEN %[1]s END", e)
	}
	upd := fmt.Sprintf(" ON CONFLICT (tenant, metric, unit, %[5]s) DO UPDATE SET "+
		"v_hi = %[3]s, v_lo = (%[1]s.v_lo + excluded.v_lo) %% %[2]d, "+
		"n_hi = %[4]s, n_lo = (%[1]s.n_lo + excluded.n_lo) %% %[2]d", d, base, hiSum("v"), hiSum("n"), p.grain)
	args := make([]any, 0, 1+bucketChunk*width)
	return chunk(len(keys), bucketChunk, func(lo, hi int) error {
		args = append(args[:0], t.s.cfg.Tenant)
		for _, k := range keys[lo:hi] {
			v := deltas[k]
			vh, vl, vok := hiLoAt(v.Value, p.exp)
			nh, nl, nok := hiLoAt(v.Count, p.exp)
			if !vok || !nok {
				return p.overflow(fmt.Sprintf("the total of metric %q for unit %q %s", k.Metric, k.Unit, p.period(k.Day)))
			}
			args = append(args, k.Metric, k.Unit, dayArg(k.Day), vh, vl, nh, nl)
		}
		_, err := t.execMany(ctx, hi-lo == bucketChunk, head+rowsOf("(?1, ?, ?, ?, ?, ?, ?, ?)", hi-lo)+upd, args...)
		if err != nil && strings.Contains(err.Error(), overflowMessage) {
			return p.overflow("a " + p.grain + "'s total of this write")
		}
		return err
	})
}

// overflowMessage is how SQLite refuses a bucket whose high part left
// int64 (see upsertSQLite).
const overflowMessage = "NOT NULL constraint failed"

// overflow says that what would leave the exact range of p's buckets, and
// matches storage.ErrOverflow.
func (p pairs) overflow(what string) error {
	return fmt.Errorf("sqlstore: %s would be beyond %s, the exact range of a SQLite %s bucket; nothing was stored (spread such amounts over several %ss or units, or use PostgreSQL): %w",
		what, p.limit, p.table, p.grain, storage.ErrOverflow)
}

func (t *tx) GetFact(ctx context.Context, key string) (storage.StoredFact, error) {
	if err := t.check(ctx); err != nil {
		return storage.StoredFact{}, fmt.Errorf("sqlstore: get fact %q: %w", key, err)
	}
	if err := record.CheckRef("fact key", key); err != nil {
		return storage.StoredFact{}, fmt.Errorf("sqlstore: get fact: %w", err)
	}
	r, err := t.loadFact(ctx, key)
	if err != nil {
		return storage.StoredFact{}, fmt.Errorf("sqlstore: get fact %q: %w", key, err)
	}
	return r.StoredFact, nil
}

func (t *tx) ListFacts(ctx context.Context, after string, limit int) ([]storage.StoredFact, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list facts: %w", err)
	}
	if err := record.CheckRef("fact key", after); err != nil {
		return nil, fmt.Errorf("sqlstore: list facts: %w", err)
	}
	q := "SELECT " + t.factSelect() + " FROM " + t.s.t.facts + " WHERE tenant = ? AND fact_key > ? ORDER BY fact_key"
	args := []any{t.s.cfg.Tenant, after}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list facts: %w", err)
	}
	defer rows.Close()
	out := []storage.StoredFact{}
	for rows.Next() {
		r, err := scanFact(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list facts: %w", err)
		}
		out = append(out, r.StoredFact)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list facts: %w", err)
	}
	return out, nil
}

func (t *tx) RetractFact(ctx context.Context, key string) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: retract fact %q: %w", key, err)
	}
	if err := record.CheckRef("fact key", key); err != nil {
		return fmt.Errorf("sqlstore: retract fact: %w", err)
	}
	err := t.atomic(ctx, func() error {
		r, err := t.loadFact(ctx, key)
		if err != nil || r.Retracted {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE "+t.s.t.facts+" SET retracted = ? WHERE tenant = ? AND fact_key = ?", true, t.s.cfg.Tenant, key); err != nil {
			return err
		}
		return t.shift(ctx, &r, nil)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: retract fact %q: %w", key, err)
	}
	return nil
}

func (t *tx) ReplaceFact(ctx context.Context, f kpi.Fact) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: replace fact %q: %w", f.Key, err)
	}
	if err := record.CheckFact(f); err != nil {
		return fmt.Errorf("sqlstore: replace fact: %w", err)
	}
	parts, err := t.s.cfg.Split(f)
	if err != nil {
		return fmt.Errorf("sqlstore: replace fact: %w", err)
	}
	err = t.atomic(ctx, func() error {
		r, err := t.loadFact(ctx, f.Key)
		if err != nil {
			return err
		}
		set := "metric = ?, unit = ?, day = ?, value = ?, currency = ?, credits = ?, dims = ?, parts = ?, retracted = ?, extra = ?"
		args := []any{f.Metric, f.Unit, dayArg(f.Date), decArg(f.Value), f.Currency, encodeCredits(f.Credits), encodeMap(f.Dims), encodeParts(f, parts), false, encodeExtra(f)}
		if t.s.cfg.Dialect == SQLite {
			vh, vl := ownValue(f)
			set += ", v_hi = ?, v_lo = ?"
			args = append(args, vh, vl)
		}
		_, err = t.exec(ctx, "UPDATE "+t.s.t.facts+" SET "+set+" WHERE tenant = ? AND fact_key = ?", append(args, t.s.cfg.Tenant, f.Key)...)
		if err != nil {
			return err
		}
		return t.shift(ctx, &r, &storedFact{StoredFact: storage.StoredFact{Fact: f}, parts: parts})
	})
	if err != nil {
		return fmt.Errorf("sqlstore: replace fact %q: %w", f.Key, err)
	}
	return nil
}

// shift moves a fact's contribution from old (if it counted) to new (if
// not nil).
func (t *tx) shift(ctx context.Context, old, new *storedFact) error {
	deltas := newDeltas(2)
	if !old.Retracted {
		deltas.add(old.Fact, old.parts, old.own, -1)
	}
	if new != nil {
		deltas.add(new.Fact, new.parts, simple(new.Fact), 1)
	}
	return t.applyDeltas(ctx, deltas)
}
