package funnel

import (
	"errors"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// dealsFromBytes decodes fuzz input into deal histories of salesFunnel:
// every deal is a length byte followed by (stage, day step) byte pairs. Stage
// bytes pick a stage, an outcome or an unknown key; day steps are signed, so
// out-of-order histories occur too.
func dealsFromBytes(data []byte) []Deal {
	f := salesFunnel()
	keys := []string{"lead", "qualified", "proposal", f.Won, f.Lost, f.Invalid, "unknown", ""}
	var deals []Deal
	for len(data) > 0 && len(deals) < 64 {
		n := int(data[0] % 8)
		data = data[1:]
		d := Deal{ID: string(rune('a' + len(deals)%26)), Unit: []string{"rep1", "rep2", "rep3"}[len(deals)%3], Value: decimal.NewFromInt(int64(len(data))), Currency: "USD"}
		day := date.New(2026, 1, 1)
		for k := 0; k < n && len(data) >= 2; k++ {
			day += date.Date(int8(data[1]))
			d.Transitions = append(d.Transitions, Transition{Stage: keys[int(data[0])%len(keys)], Date: day})
			data = data[2:]
		}
		deals = append(deals, d)
	}
	return deals
}

func knownError(err error) bool {
	return errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrInfeasible) ||
		errors.Is(err, ErrCurrencyMismatch) || errors.Is(err, goal.ErrInvalid) || errors.Is(err, goal.ErrInfeasible)
}

func FuzzMeasure(f *testing.F) {
	f.Add([]byte{3, 0, 1, 1, 5, 3, 9})
	f.Add([]byte{4, 0, 0, 2, 3, 4, 1, 1, 2, 2, 0, 1, 3, 1})
	f.Add([]byte{2, 1, 0, 0, 255, 7, 5, 5, 10, 4, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		fn := salesFunnel()
		deals := dealsFromBytes(data)
		asOf := date.New(2026, 3, 1)
		lenient := MeasureOptions{AsOf: asOf, KeepGood: true, Horizon: 7, Aging: &Aging{Percentile: 90}}
		if _, err := MeasureByUnit(fn, deals, handOrg(t), lenient); err != nil {
			t.Fatalf("MeasureByUnit, keeping the good deals: %v", err)
		}
		m, err := Measure(fn, deals, MeasureOptions{AsOf: asOf})
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		for _, s := range m.Stages {
			if s.Entered != s.Advanced+s.Lost+s.Invalid+s.OpenHere || s.Days.N > s.Advanced || s.Days.Median > s.Days.P90 {
				t.Fatalf("inconsistent stage %+v", s)
			}
			for _, r := range []Ratio{s.Advance, s.Win} {
				if r.Hits > r.Trials || !isFraction(r.Rate) || r.Low.Cmp(r.Rate) > 0 || r.Rate.Cmp(r.High) > 0 {
					t.Fatalf("bad ratio %+v", r)
				}
			}
		}
		for _, s := range m.Stages {
			for _, e := range []Estimate{s.Conversion, s.Winning} {
				if !isFraction(e.Rate) || e.Low.Cmp(e.Rate) > 0 || e.Rate.Cmp(e.High) > 0 || e.N != s.Entered {
					t.Fatalf("bad estimate %+v of stage %+v", e, s)
				}
			}
		}
		if _, err := MeasureByUnit(fn, deals, handOrg(t), MeasureOptions{AsOf: asOf}); err != nil {
			t.Fatalf("MeasureByUnit failed where Measure did not: %v", err)
		}

		model := m.Model()
		if _, err := Pipeline(model, deals, asOf, nil); err != nil {
			t.Fatalf("Pipeline: %v", err)
		}
		if _, err := Stalled(model, deals, asOf, decimal.NewFromInt(2)); err != nil {
			t.Fatalf("Stalled: %v", err)
		}
		june := goal.Period{Grain: goal.Range, Start: date.New(2026, 6, 1), End: date.New(2026, 7, 1), Label: "june"}
		if _, err := Reverse(model, []Target{{Unit: "rep1", Period: june, Revenue: decimal.NewFromInt(int64(len(data)))}}, nil); err != nil && !knownError(err) {
			t.Fatalf("Reverse: unclassified error: %v", err)
		}
	})
}

func FuzzReverse(f *testing.F) {
	f.Add("1000", "0.5", "0.4", "0.25", "10000", 10, 20, 30, uint8(3))
	f.Add("0.01", "1", "0.001", "0.3", "99999.99", 0, 0, 365, uint8(1))
	f.Add("0", "0", "0", "0", "0", -1, 0, 0, uint8(0))
	f.Fuzz(func(t *testing.T, avg, a0, a1, a2, revenue string, d0, d1, d2 int, grain uint8) {
		parse := func(s string) decimal.Decimal {
			v, err := decimal.NewFromString(s)
			if err != nil {
				return decimal.Zero
			}
			return v
		}
		m := Model{Funnel: salesFunnel(), AvgWonValue: parse(avg), Currency: "USD", Stages: []StageModel{
			{Advance: parse(a0), Days: d0}, {Advance: parse(a1), Days: d1}, {Advance: parse(a2), Days: d2},
		}}
		june := goal.Period{Grain: goal.Range, Start: date.New(2026, 6, 1), End: date.New(2026, 7, 1), Label: "june"}
		target := Target{Unit: "u", Period: june, Revenue: parse(revenue)}
		p, err := Reverse(m, []Target{target}, &ReverseOptions{Grain: goal.Grain(grain % 8)})
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		n := p.Needs[0]
		next := decimal.NewFromInt(n.Won)
		if next.Mul(m.AvgWonValue).Cmp(target.Revenue) < 0 {
			t.Fatalf("won %d × %s < %s", n.Won, m.AvgWonValue, target.Revenue)
		}
		for k := len(n.Stages) - 1; k >= 0; k-- {
			c := decimal.NewFromInt(n.Stages[k].Count)
			if c.Mul(m.Stages[k].Advance).Cmp(next) < 0 {
				t.Fatalf("stage %d: %s × %s < %s", k, c, m.Stages[k].Advance, next)
			}
			next = c
		}
		var sum int64
		for _, r := range p.Targets {
			if r.Metric == "sales.lead" {
				sum += r.Count
			}
		}
		if sum != n.Stages[0].Count {
			t.Fatalf("spread %d leads, needed %d", sum, n.Stages[0].Count)
		}
	})
}
