package kpi

import (
	"hash/maphash"
	"math"
	"math/bits"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// prepared is a validated fact resolved to indexes and minor units. For a
// split fact the credits are in the ledger's scratch space, sorted by unit.
type prepared struct {
	metric   int
	unit     int32 // -1 for a split fact
	day      int32
	value    int64
	nCred    int
	dimsFP   uint64
	hasDims  bool
	convFP   uint64 // fingerprint of Converted; 0 for none
	currency bool   // the fact names its currency
}

// prepare validates f against the ledger without changing anything.
func (l *Ledger) prepare(f *Fact) (prepared, *FactError) {
	var p prepared
	if err := checkKey(f); err != nil {
		return p, err
	}
	m, ok := l.metricIdx[f.Metric]
	if !ok {
		return p, factErr(ErrInvalid, f.Key, "Metric", "metric %q is not in the ledger; add it to LedgerConfig.Metrics or fix the mapping", f.Metric)
	}
	p.metric = m
	mt := &l.metrics[m]
	if f.End != 0 || f.WorkingDays {
		return p, factErr(ErrInvalid, f.Key, "End", "the ledger keeps facts of one day; ingest a range fact through an Engine (its store spreads it), or spread it with SpreadDays and ingest the days")
	}
	v, err := checkValue(f, mt)
	if err != nil {
		return p, err
	}
	p.value, p.currency = v, f.Currency != ""
	if err := checkConversion(f, mt); err != nil {
		return p, err
	}
	if f.Converted != nil {
		p.convFP = l.convFingerprint(f.Converted)
	}
	if f.Date < l.start || f.Date >= l.start+dateOf(l.days) {
		return p, factErr(ErrInvalid, f.Key, "Date", "%s is outside the ledger's span [%s, %s); widen LedgerConfig.Span or drop the fact", f.Date, l.start, l.start+dateOf(l.days))
	}
	p.day = int32(f.Date - l.start)
	u, err := checkUnits(f, l.org, &l.scratch)
	if err != nil {
		return p, err
	}
	p.unit = u
	if u < 0 {
		if err := l.allocateCredits(f, &p); err != nil {
			return p, err
		}
	}
	if len(f.Dims) > 0 {
		if err := checkDims(f); err != nil {
			return p, err
		}
		p.hasDims = true
		p.dimsFP = l.fingerprint(f.Dims)
	}
	return p, nil
}

// CheckFact reports whether f is a valid fact of metric m for org: a key of
// 1 to MaxKeyLen bytes of valid UTF-8 without NUL bytes, f.Metric equal to
// m.Key, a value with at most m's decimal places that fits exactly, no
// negative count, the metric's currency, a date within goal.FirstDate and
// goal.LastDate, dimensions within the text limits of package goal, and
// either a unit of the org or credits to distinct units of the org with
// shares in (0, 1] that sum to exactly 1. It returns a *FactError matching
// ErrInvalid or ErrOverflow. It checks everything a goalkit store can refuse
// in a fact, so a batch checked with it is not refused by the store for one
// bad fact. A Ledger makes the same checks on ingest, with its span instead
// of the date range; hosts and stores call CheckFact to validate facts they
// keep elsewhere.
func CheckFact(f Fact, m goal.Metric, org *goal.Org) error {
	if err := checkKey(&f); err != nil {
		return err
	}
	if f.Metric != m.Key || m.Key == "" {
		return factErr(ErrInvalid, f.Key, "Metric", "metric %q is not the metric %q the fact is checked against; configure it or fix the mapping", f.Metric, m.Key)
	}
	if _, err := checkValue(&f, &m); err != nil {
		return err
	}
	if !goal.InDateRange(f.Date) {
		return factErr(ErrInvalid, f.Key, "Date", "%s is outside %s..%s, the dates goalkit stores; fix the date in the host", f.Date, goal.FirstDate, goal.LastDate)
	}
	if err := checkFactRange(&f); err != nil {
		return err
	}
	if err := checkConversion(&f, &m); err != nil {
		return err
	}
	if err := checkDims(&f); err != nil {
		return err
	}
	if org == nil {
		return factErr(ErrInvalid, f.Key, "Unit", "no org to check the unit against; load the org first")
	}
	var s splitScratch
	if _, err := checkUnits(&f, org, &s); err != nil {
		return err
	}
	return nil
}

func checkKey(f *Fact) *FactError {
	switch {
	case f.Key == "":
		return factErr(ErrInvalid, f.Key, "Key", "the key is empty; give every fact a stable idempotency key, e.g. the CRM record's ID")
	case len(f.Key) > MaxKeyLen:
		return factErr(ErrInvalid, f.Key, "Key", "the key is %d bytes; keys are at most %d bytes (hash a longer natural key)", len(f.Key), MaxKeyLen)
	}
	if p := goal.TextProblem(f.Key, MaxKeyLen); p != "" {
		return factErr(ErrInvalid, f.Key, "Key", "%s; keys are valid UTF-8 without NUL bytes", p)
	}
	return nil
}

// checkDims checks the text of f's dimensions: keys are identifiers, values
// text (goal.MaxIDLen and goal.MaxTextLen bytes).
func checkDims(f *Fact) *FactError {
	for k, v := range f.Dims {
		if p := goal.TextProblem(k, goal.MaxIDLen); p != "" || k == "" {
			if k == "" {
				p = "it is empty"
			}
			return factErr(ErrInvalid, f.Key, "Dims", "dimension %q: %s", goal.Excerpt(k), p)
		}
		if p := goal.TextProblem(v, goal.MaxTextLen); p != "" {
			return factErr(ErrInvalid, f.Key, "Dims", "the value of dimension %q: %s", k, p)
		}
	}
	return nil
}

// checkValue checks f's currency and value against mt and returns the value
// in minor units.
func checkValue(f *Fact, mt *goal.Metric) (int64, *FactError) {
	if f.Currency != "" && f.Currency != mt.Currency {
		if mt.Kind != goal.Amount {
			return 0, factErr(ErrInvalid, f.Key, "Currency", "metric %q is a %s and carries no currency; leave Currency empty (got %q)", mt.Key, mt.Kind, f.Currency)
		}
		return 0, factErr(ErrInvalid, f.Key, "Currency", "metric %q is in %s, the fact is in %s; convert it in the host (goalkit never adds currencies)", mt.Key, mt.Currency, f.Currency)
	}
	if err := goal.CheckDecimal("value", f.Value); err != nil {
		return 0, factErr(ErrInvalid, f.Key, "Value", "%v", err)
	}
	v, fitsPlaces, fits := toMinor(f.Value, mt.Places)
	switch {
	case !fitsPlaces:
		return 0, factErr(ErrInvalid, f.Key, "Value", "%s has more than the %d decimal places metric %q allows; round it in the host", goal.ShowDecimal(f.Value), mt.Places, mt.Key)
	case !fits:
		return 0, factErr(ErrOverflow, f.Key, "Value", "%s is too large to hold exactly in metric %q", goal.ShowDecimal(f.Value), mt.Key)
	case v < 0 && mt.Kind == goal.Count:
		return 0, factErr(ErrInvalid, f.Key, "Value", "a count cannot be negative (%s); retract or replace the fact to correct it", goal.ShowDecimal(f.Value))
	}
	return v, nil
}

// checkUnits resolves the unit credited, or -1 for a split fact whose
// credits it validates and leaves in s sorted by unit index.
func checkUnits(f *Fact, org *goal.Org, s *splitScratch) (int32, *FactError) {
	if len(f.Credits) == 0 {
		u, ok := org.Index(f.Unit)
		if !ok {
			return 0, factErr(ErrInvalid, f.Key, "Unit", "unit %q is not in the org; add it or fix the mapping", goal.Excerpt(f.Unit))
		}
		return int32(u), nil
	}
	if f.Unit != "" {
		return 0, factErr(ErrInvalid, f.Key, "Unit", "set either Unit or Credits, not both (Unit %q with %d credits)", f.Unit, len(f.Credits))
	}
	if len(f.Credits) > MaxCredits {
		return 0, factErr(ErrInvalid, f.Key, "Credits", "%d credits is more than %d", len(f.Credits), MaxCredits)
	}
	s.units, s.shares, s.pos = s.units[:0], s.shares[:0], s.pos[:0]
	var total uint64
	for k, c := range f.Credits {
		u, ok := org.Index(c.Unit)
		if !ok {
			return 0, factErr(ErrInvalid, f.Key, "Credits", "unit %q is not in the org; add it or fix the mapping", goal.Excerpt(c.Unit))
		}
		sh, fitsPlaces, fits := toMinor(c.Share, SharePlaces)
		if !fitsPlaces || !fits || sh <= 0 || sh > shareScale {
			return 0, factErr(ErrInvalid, f.Key, "Credits", "share %s of unit %q must be in (0, 1] with at most %d decimal places", goal.ShowDecimal(c.Share), c.Unit, SharePlaces)
		}
		// Insertion sort by unit index: credits are few.
		i := len(s.units)
		s.units, s.shares, s.pos = append(s.units, 0), append(s.shares, 0), append(s.pos, 0)
		for ; i > 0 && s.units[i-1] > int32(u); i-- {
			s.units[i], s.shares[i], s.pos[i] = s.units[i-1], s.shares[i-1], s.pos[i-1]
		}
		if i > 0 && s.units[i-1] == int32(u) {
			return 0, factErr(ErrInvalid, f.Key, "Credits", "unit %q is credited twice; give each unit one share", c.Unit)
		}
		s.units[i], s.shares[i], s.pos[i] = int32(u), uint32(sh), int32(k)
		total += uint64(sh)
	}
	if total != shareScale {
		return 0, factErr(ErrInvalid, f.Key, "Credits", "the shares sum to %s, not 1; make them sum to exactly 1", fromMinor(int64(total), SharePlaces))
	}
	return -1, nil
}

// allocateCredits splits p's value over the credits checkUnits left in the
// scratch space, by SplitMinor in the fact's credit order (so a tie goes to
// the earlier credit, as in every store).
func (l *Ledger) allocateCredits(f *Fact, p *prepared) *FactError {
	s := &l.scratch
	p.nCred = len(s.units)
	s.weights = slices.Grow(s.weights[:0], p.nCred)[:p.nCred]
	for i, sh := range s.shares {
		s.weights[s.pos[i]] = uint64(sh)
	}
	var err error
	if s.split, err = SplitMinor(p.value, s.weights, s.split); err != nil {
		return factErr(ErrInvalid, f.Key, "Credits", "cannot split the value: %v", err)
	}
	s.amts = slices.Grow(s.amts[:0], p.nCred)[:p.nCred]
	for i := range s.amts {
		s.amts[i] = s.split[s.pos[i]]
	}
	return nil
}

// fingerprint is an order-independent 64-bit hash of the dimensions.
func (l *Ledger) fingerprint(dims map[string]string) uint64 {
	var fp uint64
	for k, v := range dims {
		fp += mix(maphash.String(l.keys.seed, k) ^ bits.RotateLeft64(maphash.String(l.keys.seed, v), 31))
	}
	return fp | 1 // never 0
}

// convFingerprint is a 64-bit hash of a conversion, its amount and rate as
// numbers (String writes no trailing zeros); never 0.
func (l *Ledger) convFingerprint(c *Conversion) uint64 {
	return maphash.String(l.keys.seed, c.Currency+"\x00"+c.Amount.String()+"\x00"+c.Rate.String()) | 1
}

// mix is a 64-bit finalizer (MurmurHash3's).
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

// same reports whether the stored record r (number n) has the content of p,
// and if not the name of the first field that differs: SameFact's rule on
// what the ledger keeps of a fact (credits sorted by unit, Dims and
// Converted by fingerprint).
func (l *Ledger) same(n uint32, r *record, p *prepared) (bool, string) {
	switch {
	case r.metric() != p.metric:
		return false, "Metric"
	case r.day != p.day:
		return false, "Date"
	case r.value != p.value:
		return false, "Value"
	case (r.unit >= 0) != (p.unit >= 0) || r.unit >= 0 && r.unit != p.unit:
		return false, "Unit"
	case r.flags()&flagCurrency != 0 != p.currency:
		return false, "Currency"
	}
	if r.unit < 0 {
		h := int(-1 - r.unit)
		if int(l.splits[h].unit) != p.nCred {
			return false, "Credits"
		}
		for i, e := range l.splits[h+1 : h+1+p.nCred] {
			if e.unit != l.scratch.units[i] || e.share != l.scratch.shares[i] {
				return false, "Credits"
			}
		}
	}
	hasDims := r.flags()&flagHasDims != 0
	if hasDims != p.hasDims || hasDims && l.dims[n] != p.dimsFP {
		return false, "Dims"
	}
	if l.conv[n] != p.convFP {
		return false, "Converted"
	}
	return true, ""
}

// store writes p into record r (number n), which must not be live.
func (l *Ledger) store(n uint32, r *record, p *prepared) {
	r.setMetric(p.metric)
	r.day, r.value, r.unit = p.day, p.value, p.unit
	if p.unit < 0 {
		r.unit = int32(-1 - len(l.splits))
		l.splits = append(l.splits, splitEntry{unit: int32(p.nCred)})
		for i := 0; i < p.nCred; i++ {
			l.splits = append(l.splits, splitEntry{unit: l.scratch.units[i], share: l.scratch.shares[i], amount: l.scratch.amts[i]})
		}
	}
	r.clear(flagHasDims | flagCurrency)
	if p.currency {
		r.set(flagCurrency)
	}
	delete(l.dims, n)
	if p.hasDims {
		r.set(flagHasDims)
		l.dims[n] = p.dimsFP
	}
	delete(l.conv, n)
	if p.convFP != 0 {
		l.conv[n] = p.convFP
	}
}

func (l *Ledger) fitsTotal(p *prepared, minus int64) bool {
	return uabs(p.value) <= uint64(math.MaxInt64-(l.abs[p.metric]-minus))
}

// ingest applies one fact under the write lock. It reports whether the fact
// was new (false for an identical duplicate).
func (l *Ledger) ingest(f *Fact) (bool, *FactError) {
	p, err := l.prepare(f)
	if err != nil {
		return false, err
	}
	return l.apply(f.Key, &p, l.keys.hash(f.Key))
}

// apply applies the fact with the given key, prepared as p and with key
// hash h, under the write lock.
func (l *Ledger) apply(key string, p *prepared, h uint64) (bool, *FactError) {
	n, slot, found := l.keys.find(key, h)
	if found {
		r := l.keys.rec(n)
		if ok, field := l.same(n, r, p); !ok {
			state := "counted"
			if r.flags()&flagLive == 0 {
				state = "retracted"
			}
			return false, factErr(ErrConflict, key, field, "the key was ingested before (now %s) with a different %s; use Replace to correct the fact, or give a different event its own key", state, field)
		}
		return false, nil
	}
	if !l.fitsTotal(p, 0) {
		mt := &l.metrics[p.metric]
		return false, factErr(ErrOverflow, key, "Value", "adding %s would push the total of metric %q past the int64 range of minor units", fromMinor(p.value, mt.Places), mt.Key)
	}
	if !l.keys.room(len(key)) {
		return false, factErr(ErrOverflow, key, "Key", "the ledger holds %d keys, its limit; split the ledger", l.keys.n)
	}
	n, r := l.keys.add(key, h, slot)
	l.store(n, r, p)
	r.set(flagLive)
	l.contribute(r, 1)
	l.live++
	return true, nil
}

// Ingest adds one fact. It returns true when the fact was new and false when
// an identical fact with the same key was ingested before (nothing changes).
// A fact with the same key and different content fails with ErrConflict; a
// bad fact fails with a *FactError matching ErrInvalid or ErrOverflow. On an
// error nothing changes.
func (l *Ledger) Ingest(f Fact) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	added, err := l.ingest(&f)
	if err != nil {
		return false, err
	}
	return added, nil
}

// Retract takes the fact with the given key out of every figure it was
// counted in. Its key stays known: ingesting the same fact again is a
// duplicate and changes nothing (so a replayed message cannot resurrect it);
// use Replace to bring it back, corrected or not. Retracting an already
// retracted key does nothing; an unknown key fails with ErrNotFound.
func (l *Ledger) Retract(key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, _, found := l.keys.find(key, l.keys.hash(key))
	if !found {
		return factErr(ErrNotFound, key, "Key", "no fact with this key was ever ingested; nothing to retract")
	}
	r := l.keys.rec(n)
	if r.flags()&flagLive != 0 {
		l.contribute(r, -1)
		r.clear(flagLive)
		l.live--
	}
	return nil
}

// Replace corrects the fact with f.Key: the old content leaves every figure
// it was counted in and f is counted instead, in one step. The key must have
// been ingested before (ErrNotFound otherwise); a retracted fact is brought
// back. A bad f fails like Ingest and changes nothing.
func (l *Ledger) Replace(f Fact) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ferr := l.prepare(&f)
	if ferr != nil {
		return ferr
	}
	n, _, found := l.keys.find(f.Key, l.keys.hash(f.Key))
	if !found {
		return factErr(ErrNotFound, f.Key, "Key", "no fact with this key was ever ingested; use Ingest to add it")
	}
	r := l.keys.rec(n)
	live := r.flags()&flagLive != 0
	var minus int64
	if live && r.metric() == p.metric {
		minus = int64(uabs(r.value))
	}
	if !l.fitsTotal(&p, minus) {
		return factErr(ErrOverflow, f.Key, "Value", "replacing with %s would push the total of metric %q past the int64 range of minor units", goal.ShowDecimal(f.Value), f.Metric)
	}
	if live {
		l.contribute(r, -1)
		l.live--
	}
	l.store(n, r, &p)
	r.set(flagLive)
	l.contribute(r, 1)
	l.live++
	return nil
}

func dateOf(days int) date.Date { return date.Date(days) }

// metricIndex finds a metric by key: a scan for a few metrics (cheaper than
// hashing the key), the map otherwise.
func (l *Ledger) metricIndex(key string) (int, bool) {
	if len(l.metrics) <= 8 {
		for i := range l.metrics {
			if l.metrics[i].Key == key {
				return i, true
			}
		}
		return 0, false
	}
	i, ok := l.metricIdx[key]
	return i, ok
}
