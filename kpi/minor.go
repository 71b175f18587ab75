package kpi

import (
	"math"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MinorFact is a fact whose value the host already holds as an integer of
// the metric's minor units — cents of an amount with 2 places, whole units
// of a count — credited to one unit, without Credits, Dims or Currency:
// the common shape of bulk loads from a store that keeps amounts as
// integers. IngestMinor takes it without a decimal per fact.
//
// It is the Fact with the same Key, Metric, Unit and Date and Value = Minor
// × 10^-places of the metric (see Fact): the same key space, the same
// checks and conflicts, the same errors.
type MinorFact struct {
	Key    string
	Metric string
	Unit   string
	Date   date.Date
	Minor  int64 // the value in 10^-places of the metric
}

// Fact returns f as a Fact, for a metric with the given decimal places.
func (f MinorFact) Fact(places int32) Fact {
	return Fact{Key: f.Key, Metric: f.Metric, Unit: f.Unit, Date: f.Date, Value: decimal.New(f.Minor, -places)}
}

// IngestMinor adds facts given in minor units as one operation, exactly as
// IngestBatch adds the same facts made with MinorFact.Fact: all or nothing
// by default, duplicates counted once, conflicts and bad facts reported by
// index in a *BatchError (or in the result with KeepGood).
func (l *Ledger) IngestMinor(facts []MinorFact, mode BatchMode) (BatchResult, error) {
	return ingestBatch(l, minorBatch(facts), mode)
}

type minorBatch []MinorFact

func (b minorBatch) len() int         { return len(b) }
func (b minorBatch) key(i int) string { return b[i].Key }

// prepare validates b[i] without making a decimal. Anything it does not
// accept goes through the ledger's checks of the equivalent Fact, so a bad
// fact gets exactly the error IngestBatch would give it.
func (b minorBatch) prepare(l *Ledger, i int, _ bool) (prepared, *FactError, bool) {
	f := &b[i]
	if m, ok := l.metricIndex(f.Metric); ok && f.Key != "" && goal.TextProblem(f.Key, MaxKeyLen) == "" && f.Minor != math.MinInt64 {
		mt := &l.metrics[m]
		day := int(f.Date - l.start)
		u, ok := l.org.Index(f.Unit)
		if ok && day >= 0 && day < l.days && (f.Minor >= 0 || mt.Kind != goal.Count) {
			return prepared{metric: m, unit: int32(u), day: int32(day), value: f.Minor}, nil, true
		}
	}
	var places int32
	if m, ok := l.metricIndex(f.Metric); ok {
		places = l.metrics[m].Places
	}
	fact := f.Fact(places)
	p, err := l.prepare(&fact)
	return p, err, true
}
