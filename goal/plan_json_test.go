package goal

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// reflected is what MarshalJSON wrote through encoding/json before it was
// written by hand: json.Marshal of the planJSON shape.
func reflected(p *Plan) ([]byte, error) {
	out := planJSON{ID: p.ID, Metric: p.Metric, Version: p.Version, Goals: make([]goalJSON, len(p.Goals))}
	places := p.Metric.Places
	fixedOrNil := func(d decimal.NullDecimal) *string {
		if !d.Valid {
			return nil
		}
		s := d.Decimal.StringFixed(places)
		return &s
	}
	for i, g := range p.Goals {
		out.Goals[i] = goalJSON{ID: g.ID, Parent: g.Parent, Metric: g.Metric, Unit: g.Unit, Period: g.Period,
			Target: g.Target.StringFixed(places), Stretch: fixedOrNil(g.Stretch), Floor: fixedOrNil(g.Floor), Locked: g.Locked}
	}
	return json.Marshal(out)
}

// TestPlanMarshalJSONIsReflected holds the hand-written MarshalJSON to
// json.Marshal of the planJSON shape, byte for byte, over random plans:
// text that JSON escapes, every grain, days outside years 0 to 9999, empty
// parents, stretch and floor set or not, locked or not, any places.
func TestPlanMarshalJSONIsReflected(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	texts := []string{"", "li", `a"b`, `c\d`, "<&>", "日本", "\x00\x1f", "\u2028", "bad\xff", "tab\t"}
	text := func() string { return texts[r.IntN(len(texts))] + fmt.Sprint(r.IntN(3)) }
	days := []date.Date{date.New(2026, 1, 1), date.New(1, 2, 3), date.New(9999, 12, 31), date.New(10000, 1, 1), date.New(-5, 6, 7), date.New(999, 9, 9)}
	num := func() decimal.Decimal { return decimal.New(r.Int64N(2_000_000)-1_000_000, -int32(r.IntN(5))) }
	null := func() decimal.NullDecimal {
		if r.IntN(2) == 0 {
			return decimal.NullDecimal{}
		}
		return decimal.NewNullDecimal(num())
	}
	for range 300 {
		places := int32(r.IntN(5))
		p := &Plan{ID: text(), Metric: Metric{Key: text(), Name: text(), Kind: Amount, Currency: "CNY", Places: places}, Version: r.Int64N(100)}
		for range r.IntN(6) {
			p.Goals = append(p.Goals, Goal{ID: text(), Parent: text(), Metric: text(), Unit: text(),
				Period: Period{Grain: Grain(r.IntN(len(grainNames))), Start: days[r.IntN(len(days))], End: days[r.IntN(len(days))], Label: text()},
				Target: num(), Stretch: null(), Floor: null(), Locked: r.IntN(2) == 0})
		}
		want, err := reflected(p)
		require.NoError(t, err)
		got, err := p.MarshalJSON()
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
	// An unknown grain fails as it did.
	bad := &Plan{ID: "x", Metric: Metric{Key: "m", Kind: Amount}, Goals: []Goal{{ID: "g", Period: Period{Grain: Grain(99)}}}}
	_, err := bad.MarshalJSON()
	require.ErrorIs(t, err, ErrInvalid)
	_, err = reflected(bad)
	require.ErrorIs(t, err, ErrInvalid)
}
