package goal

import "fmt"

// The enums that cross a boundary (JSON, CSV, a database column written by
// hand) travel as the words their String methods print, never as numbers:
// "month", "amount", "higher". UnmarshalText accepts exactly those words.

var kindNames = [...]string{Amount: "amount", Count: "count", Quantity: "quantity"}

// MarshalText returns "amount", "count" or "quantity"; an unknown kind is an
// error.
func (k Kind) MarshalText() ([]byte, error) {
	if k < Amount || k > Quantity {
		return nil, invalid("metric kind", k.String(), "use goal.Amount, goal.Count or goal.Quantity")
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText reads "amount", "count" or "quantity".
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n != "" && n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return invalid("metric kind", string(b), "use \"amount\", \"count\" or \"quantity\"")
}

// MarshalText returns "higher" or "lower"; an unknown direction is an error.
func (d Direction) MarshalText() ([]byte, error) {
	switch d {
	case HigherIsBetter:
		return []byte("higher"), nil
	case LowerIsBetter:
		return []byte("lower"), nil
	}
	return nil, invalid("direction", fmt.Sprintf("Direction(%d)", uint8(d)), "use goal.HigherIsBetter or goal.LowerIsBetter")
}

// UnmarshalText reads "higher" or "lower" (is better).
func (d *Direction) UnmarshalText(b []byte) error {
	switch string(b) {
	case "higher":
		*d = HigherIsBetter
	case "lower":
		*d = LowerIsBetter
	default:
		return invalid("direction", string(b), "use \"higher\" or \"lower\"")
	}
	return nil
}

// MarshalText returns the grain's name: "range", "day", "week", "month",
// "quarter", "half" or "year"; an unknown grain is an error.
func (g Grain) MarshalText() ([]byte, error) {
	if int(g) >= len(grainNames) {
		return nil, invalid("grain", g.String(), "use one of goal.Range, Day, Week, Month, Quarter, Half or Year")
	}
	return []byte(grainNames[g]), nil
}

// UnmarshalText reads a grain's name as MarshalText writes it.
func (g *Grain) UnmarshalText(b []byte) error {
	for i, n := range grainNames {
		if n == string(b) {
			*g = Grain(i)
			return nil
		}
	}
	return invalid("grain", string(b), "use \"range\", \"day\", \"week\", \"month\", \"quarter\", \"half\" or \"year\"")
}
