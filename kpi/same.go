package kpi

// SameFact reports whether a and b have the same content, so that ingesting
// b after a (with the same Key) is a duplicate that changes nothing rather
// than an ErrConflict. This is the idempotency rule of the Ledger and of
// every goalkit store; a host's own store calls it too. Values, shares and
// conversion amounts and rates compare as numbers (1.5 and 1.50 are the
// same), everything else exactly: Key, Metric, Unit, Date, End,
// WorkingDays, Currency (empty and the metric's currency differ), Credits
// as a set (in any order: the first ingest's order decided who got a
// remainder tie, and a duplicate changes nothing), Dims and Converted.
func SameFact(a, b Fact) bool {
	if a.Key != b.Key || a.Metric != b.Metric || a.Unit != b.Unit || a.Date != b.Date ||
		!a.Value.Equal(b.Value) || a.Currency != b.Currency || len(a.Credits) != len(b.Credits) ||
		len(a.Dims) != len(b.Dims) || a.End != b.End || a.WorkingDays != b.WorkingDays || !sameConversion(a.Converted, b.Converted) {
		return false
	}
	if !sameCredits(a.Credits, b.Credits) {
		return false
	}
	for k, v := range a.Dims {
		if w, ok := b.Dims[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// sameConversion reports whether a and b are the same conversion (or both
// none).
func sameConversion(a, b *Conversion) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Currency == b.Currency && a.Amount.Equal(b.Amount) && a.Rate.Equal(b.Rate)
}

// sameCredits reports whether a and b, of the same length, hold the same
// credits in any order: in order, the common case, or else each credit as
// often in a as in b.
func sameCredits(a, b []Credit) bool {
	inOrder := true
	for i := range a {
		if !sameCredit(a[i], b[i]) {
			inOrder = false
			break
		}
	}
	if inOrder {
		return true
	}
	for _, c := range a {
		if countCredit(a, c) != countCredit(b, c) {
			return false
		}
	}
	return true
}

func sameCredit(a, b Credit) bool { return a.Unit == b.Unit && a.Share.Equal(b.Share) }

// countCredit returns how many credits of cs are c.
func countCredit(cs []Credit, c Credit) int {
	n := 0
	for _, x := range cs {
		if sameCredit(x, c) {
			n++
		}
	}
	return n
}
