package xlsx

import (
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/goal"
)

// FuzzParseTarget: a target read from a cell fits the places, and is the
// text itself or the number with those places that has the text's double.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"1200.50", "1234.5599999999999", "1e3", "-0.001", "1.2E+7", "NaN", "0x10", "9e999"} {
		f.Add(s, int32(2))
	}
	f.Fuzz(func(t *testing.T, s string, places int32) {
		places = max(0, min(places, goal.MaxPlaces))
		d, err := parseTarget(s, places)
		if err != nil {
			return
		}
		if !goal.FitsPlaces(d, places) {
			t.Fatalf("%q read as %s, more than %d places", s, d, places)
		}
		if x, err := strconv.ParseFloat(s, 64); err == nil && d.InexactFloat64() != x && d.String() != s {
			t.Fatalf("%q read as %s, another number", s, d)
		}
	})
}
