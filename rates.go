package goalkit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ErrNoRate reports a fact in a currency for which the rate source has no
// rate on the fact's date. A *RateError says which; add the rate (for
// RateTable, Set) and ingest the fact again.
var ErrNoRate = errors.New("goalkit: no exchange rate")

// RateSource gives dated exchange rates: Rate returns how many units of to
// one unit of from is worth on day. It returns an error matching ErrNoRate
// (a *RateError) when it has no such rate; any other error (a failed
// lookup) fails the whole ingest. Implementations must be safe for
// concurrent use. RateTable is the table-backed default; a host with a
// treasury or ERP rate feed implements its own.
type RateSource interface {
	Rate(ctx context.Context, from, to string, day date.Date) (decimal.Decimal, error)
}

// RateError is ErrNoRate for one currency pair and day.
type RateError struct {
	From, To string
	Day      date.Date
}

// Error says what was wrong and what to do.
func (e *RateError) Error() string {
	return fmt.Sprintf("goalkit: no exchange rate from %s to %s on %s; add it to the rate source (RateTable.Set) and ingest the fact again", e.From, e.To, e.Day)
}

// Unwrap returns ErrNoRate.
func (e *RateError) Unwrap() error { return ErrNoRate }

// RateTable is a RateSource held in memory: for each currency pair, rates
// dated from the day they take effect, each valid until the next one. A
// day before the first rate of a pair has none (ErrNoRate); rates are not
// inverted or chained (USD→CNY says nothing of CNY→USD), since an inverse
// is not exact. The zero value is empty and ready; it is safe for
// concurrent use.
type RateTable struct {
	mu    sync.RWMutex
	pairs map[[2]string][]datedRate // sorted by day
}

type datedRate struct {
	from date.Date
	rate decimal.Decimal
}

// Set records that one unit of from is worth rate units of to from day on
// (until the next rate of the pair). Setting a pair's rate again for the
// same day corrects it; after a correction, Engine.Revalue converts the
// stored facts it touches again. It fails with ErrInvalid for a currency
// that is not three capital letters, the same currency twice, a rate that
// is not positive or has more than goal.MaxPlaces places, or a day outside
// the years goalkit stores.
func (t *RateTable) Set(from, to string, day date.Date, rate decimal.Decimal) error {
	switch {
	case !isCurrency(from) || !isCurrency(to) || from == to:
		return fmt.Errorf("goalkit: set rate %q→%q: give two different ISO 4217 codes such as \"USD\" and \"CNY\": %w", goal.Excerpt(from), goal.Excerpt(to), ErrInvalid)
	case rate.Sign() <= 0 || goal.CheckDecimal("rate", rate) != nil || !goal.FitsPlaces(rate, goal.MaxPlaces):
		return fmt.Errorf("goalkit: set rate %s→%s on %s: %s must be positive with at most %d decimal places: %w", from, to, day, goal.ShowDecimal(rate), goal.MaxPlaces, ErrInvalid)
	case !goal.InDateRange(day):
		return fmt.Errorf("goalkit: set rate %s→%s: %s is outside %s..%s: %w", from, to, day, goal.FirstDate, goal.LastDate, ErrInvalid)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pairs == nil {
		t.pairs = map[[2]string][]datedRate{}
	}
	k := [2]string{from, to}
	rs := t.pairs[k]
	i, found := slices.BinarySearchFunc(rs, day, func(r datedRate, d date.Date) int { return cmp.Compare(r.from, d) })
	if found {
		rs[i].rate = rate
		return nil
	}
	t.pairs[k] = slices.Insert(rs, i, datedRate{day, rate})
	return nil
}

// Rate returns the rate of the pair in effect on day, or a *RateError.
func (t *RateTable) Rate(_ context.Context, from, to string, day date.Date) (decimal.Decimal, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	rs := t.pairs[[2]string{from, to}]
	i, found := slices.BinarySearchFunc(rs, day, func(r datedRate, d date.Date) int { return cmp.Compare(r.from, d) })
	if !found {
		i-- // the last rate dated before day
	}
	if i < 0 {
		return decimal.Decimal{}, &RateError{From: from, To: to, Day: day}
	}
	return rs[i].rate, nil
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range []byte(s) {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
