package goal

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var usd = Metric{Key: "rev", Kind: Amount, Currency: "USD", Places: 2}

func testOrg(t testing.TB, bobFrom date.Date) *Org {
	t.Helper()
	org, err := NewOrg([]Unit{
		{ID: "co"}, {ID: "east", Parent: "co"}, {ID: "west", Parent: "co"},
		{ID: "ann", Parent: "east"}, {ID: "bob", Parent: "east", ActiveFrom: bobFrom}, {ID: "cy", Parent: "west"},
	})
	require.NoError(t, err)
	return org
}

func testCal(t testing.TB) *Calendar {
	t.Helper()
	cal, err := NewCalendar(nil)
	require.NoError(t, err)
	return cal
}

func periodOf(t testing.TB, cal *Calendar, g Grain, y int, m time.Month) Period {
	t.Helper()
	p, err := cal.PeriodOf(g, date.New(y, m, 1))
	require.NoError(t, err)
	return p
}

func mustRange(t testing.TB, start, end date.Date) Period {
	t.Helper()
	p, err := NewRange(start, end)
	require.NoError(t, err)
	return p
}

// targets returns "unit/label=target" for every goal, in plan order.
func targets(p *Plan) []string {
	out := make([]string, len(p.Goals))
	for i, g := range p.Goals {
		out[i] = g.Unit + "/" + g.Period.Label + "=" + g.Target.StringFixed(p.Metric.Places)
	}
	return out
}

func TestDecomposeUnits(t *testing.T) {
	cal := testCal(t)
	y2026 := periodOf(t, cal, Year, 2026, 1)
	july := date.New(2026, time.July, 1)
	tests := []struct {
		name   string
		bob    date.Date
		target string
		rules  []UnitRule
		depth  int
		locks  map[string]string
		bounds map[string]Bounds
		want   []string
	}{
		{name: "even", target: "1000.00",
			want: []string{"co/2026=1000.00", "east/2026=500.00", "west/2026=500.00", "ann/2026=250.00", "bob/2026=250.00", "cy/2026=500.00"}},
		{name: "even, rep joins 1 July", bob: july, target: "1000.00",
			want: []string{"co/2026=1000.00", "east/2026=500.00", "west/2026=500.00", "ann/2026=332.42", "bob/2026=167.58", "cy/2026=500.00"}},
		{name: "capacity counts active days", bob: july, target: "1000.00",
			rules: []UnitRule{{By: CapacitySplit, Values: map[string]decimal.Decimal{"ann": dec("1"), "bob": dec("1"), "cy": dec("1")}}},
			want:  []string{"co/2026=1000.00", "east/2026=600.66", "west/2026=399.34", "ann/2026=399.35", "bob/2026=201.31", "cy/2026=399.34"}},
		{name: "history blended with even", target: "1000.00",
			rules: []UnitRule{{By: HistorySplit, Values: map[string]decimal.Decimal{"ann": dec("300"), "bob": dec("100")}, EvenBlend: dec("0.2")}},
			want:  []string{"co/2026=1000.00", "east/2026=900.00", "west/2026=100.00", "ann/2026=630.00", "bob/2026=270.00", "cy/2026=100.00"}},
		{name: "pure history", target: "1000.00",
			rules: []UnitRule{{By: HistorySplit, Values: map[string]decimal.Decimal{"ann": dec("300"), "bob": dec("100"), "cy": dec("100")}}},
			want:  []string{"co/2026=1000.00", "east/2026=800.00", "west/2026=200.00", "ann/2026=600.00", "bob/2026=200.00", "cy/2026=200.00"}},
		{name: "weighted then even", target: "1000.00",
			rules: []UnitRule{{By: WeightedSplit, Values: map[string]decimal.Decimal{"east": dec("3"), "west": dec("1")}}, {}},
			want:  []string{"co/2026=1000.00", "east/2026=750.00", "west/2026=250.00", "ann/2026=375.00", "bob/2026=375.00", "cy/2026=250.00"}},
		{name: "depth 1", target: "1000.00", depth: 1,
			want: []string{"co/2026=1000.00", "east/2026=500.00", "west/2026=500.00"}},
		{name: "locks", target: "1000.00", locks: map[string]string{"rev/east/2026": "700.00", "rev/ann/2026": "100.00"},
			want: []string{"co/2026=1000.00", "east/2026=700.00", "west/2026=300.00", "ann/2026=100.00", "bob/2026=600.00", "cy/2026=300.00"}},
		{name: "bounds", target: "1000.00", bounds: map[string]Bounds{"rev/east/2026": {Max: nullDec("400.00")}},
			want: []string{"co/2026=1000.00", "east/2026=400.00", "west/2026=600.00", "ann/2026=200.00", "bob/2026=200.00", "cy/2026=600.00"}},
		{name: "negative target mirrors", target: "-1000.00",
			want: []string{"co/2026=-1000.00", "east/2026=-500.00", "west/2026=-500.00", "ann/2026=-250.00", "bob/2026=-250.00", "cy/2026=-500.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := Spec{PlanID: "p", Metric: usd, Unit: "co", Period: y2026, Target: dec(tt.target), Units: tt.rules, Depth: tt.depth, Bounds: tt.bounds}
			if tt.locks != nil {
				spec.Locks = map[string]decimal.Decimal{}
				for id, v := range tt.locks {
					spec.Locks[id] = dec(v)
				}
			}
			p, err := Decompose(testOrg(t, tt.bob), cal, spec)
			require.NoError(t, err)
			require.Equal(t, tt.want, targets(p))
			require.Empty(t, p.Check())
			for _, g := range p.Goals {
				_, locked := tt.locks[g.ID]
				require.Equal(t, locked, g.Locked, g.ID)
			}
		})
	}
}

func TestDecomposeTime(t *testing.T) {
	cal := testCal(t)
	solo, err := NewOrg([]Unit{{ID: "u"}})
	require.NoError(t, err)
	late, err := NewOrg([]Unit{{ID: "u", ActiveFrom: date.New(2026, time.March, 1)}})
	require.NoError(t, err)
	janHeavy := EvenProfile()
	janHeavy[0] = dec("2")
	count := Metric{Key: "calls", Kind: Count}
	tests := []struct {
		name   string
		org    *Org
		metric Metric
		period Period
		target string
		rule   TimeRule
		want   []string
	}{
		{name: "quarter by calendar days", period: periodOf(t, cal, Quarter, 2026, 1), target: "900.00", rule: TimeRule{Steps: []Grain{Month}},
			want: []string{"u/2026-Q1=900.00", "u/2026-01=310.00", "u/2026-02=280.00", "u/2026-03=310.00"}},
		{name: "month by working days, partial weeks clipped", metric: count, period: periodOf(t, cal, Month, 2026, 2), target: "100",
			rule: TimeRule{Steps: []Grain{Week}, Basis: ByWorkingDays},
			want: []string{"u/2026-02=100", "u/2026-W05[2026-02-01,2026-02-02)=0", "u/2026-W06=25", "u/2026-W07=25", "u/2026-W08=25", "u/2026-W09[2026-02-23,2026-03-01)=25"}},
		{name: "seasonal months", metric: count, period: periodOf(t, cal, Quarter, 2026, 1), target: "400", rule: TimeRule{Steps: []Grain{Month}, Seasonal: &janHeavy},
			want: []string{"u/2026-Q1=400", "u/2026-01=200", "u/2026-02=100", "u/2026-03=100"}},
		{name: "seasonal quarters are sums of months", metric: count, period: periodOf(t, cal, Half, 2026, 1), target: "700", rule: TimeRule{Steps: []Grain{Quarter}, Basis: ByWorkingDays, Seasonal: &janHeavy},
			want: []string{"u/2026-H1=700", "u/2026-Q1=400", "u/2026-Q2=300"}},
		{name: "seasonal week across months", metric: count, period: periodOf(t, cal, Quarter, 2026, 1), target: "1300", rule: TimeRule{Steps: []Grain{Month, Week}, Seasonal: &janHeavy},
			// January weighs 2/4: 650 over its 31 days: 4 in the clipped W01
			// (650·4/31 = 83.87 → 84), 7 in each full week (146.77), 6 in the
			// clipped W05 (125.81 → 126); ties of .77 go to the earlier weeks.
			want: []string{"u/2026-Q1=1300", "u/2026-01=650", "u/2026-02=325", "u/2026-03=325",
				"u/2026-W01[2026-01-01,2026-01-05)=84", "u/2026-W02=147", "u/2026-W03=147", "u/2026-W04=146", "u/2026-W05[2026-01-26,2026-02-01)=126",
				"u/2026-W05[2026-02-01,2026-02-02)=12", "u/2026-W06=81", "u/2026-W07=81", "u/2026-W08=81", "u/2026-W09[2026-02-23,2026-03-01)=70",
				"u/2026-W09[2026-03-01,2026-03-02)=11", "u/2026-W10=74", "u/2026-W11=73", "u/2026-W12=73", "u/2026-W13=73", "u/2026-W14[2026-03-30,2026-04-01)=21"}},
		{name: "range root clipped to one month", metric: count, period: mustRange(t, date.New(2026, time.January, 5), date.New(2026, time.February, 3)), target: "29",
			rule: TimeRule{Steps: []Grain{Month, Week}},
			want: []string{"u/[2026-01-05,2026-02-03)=29", "u/2026-01[2026-01-05,2026-02-01)=27", "u/2026-02[2026-02-01,2026-02-03)=2",
				"u/2026-W02=7", "u/2026-W03=7", "u/2026-W04=7", "u/2026-W05[2026-01-26,2026-02-01)=6",
				"u/2026-W05[2026-02-01,2026-02-02)=1", "u/2026-W06[2026-02-02,2026-02-03)=1"}},
		{name: "inactive days weigh zero", org: late, metric: count, period: periodOf(t, cal, Quarter, 2026, 1), target: "31", rule: TimeRule{Steps: []Grain{Month}},
			want: []string{"u/2026-Q1=31", "u/2026-01=0", "u/2026-02=0", "u/2026-03=31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := tt.org
			if org == nil {
				org = solo
			}
			m := tt.metric
			if m.Key == "" {
				m = usd
			}
			p, err := Decompose(org, cal, Spec{Metric: m, Unit: "u", Period: tt.period, Target: dec(tt.target), Time: tt.rule})
			require.NoError(t, err)
			require.Equal(t, tt.want, targets(p))
			require.Empty(t, p.Check())
		})
	}
}

func TestDecomposeLeavesOnlyAreSplitOverTime(t *testing.T) {
	cal := testCal(t)
	p, err := Decompose(testOrg(t, 0), cal, Spec{Metric: usd, Unit: "co", Period: periodOf(t, cal, Year, 2026, 1), Target: dec("1000.00"),
		Time: TimeRule{Steps: []Grain{Quarter, Month}}})
	require.NoError(t, err)
	require.Len(t, p.Goals, 6+3*(4+12))
	require.Empty(t, p.Children("rev/co/2026-Q1"))
	require.Len(t, p.Children("rev/ann/2026"), 4)
	require.Len(t, p.Children("rev/ann/2026-Q1"), 3)
	require.Empty(t, p.Check())
}

func TestDecomposeLocksAndBoundsOverTime(t *testing.T) {
	cal := testCal(t)
	spec := Spec{Metric: Metric{Key: "calls", Kind: Count}, Unit: "co", Period: periodOf(t, cal, Quarter, 2026, 1), Target: dec("900"),
		Time:   TimeRule{Steps: []Grain{Month}},
		Locks:  map[string]decimal.Decimal{"calls/ann/2026-01": dec("200")},
		Bounds: map[string]Bounds{"calls/cy/2026-02": {Max: nullDec("50")}}}
	p, err := Decompose(testOrg(t, 0), cal, spec)
	require.NoError(t, err)
	require.Empty(t, p.Check())
	g, err := p.Goal("calls/ann/2026-01")
	require.NoError(t, err)
	require.Equal(t, "200", g.Target.String())
	require.True(t, g.Locked)
	g, err = p.Goal("calls/cy/2026-02")
	require.NoError(t, err)
	require.Equal(t, "50", g.Target.String())
}

func TestDecomposeStretchAndFloor(t *testing.T) {
	cal := testCal(t)
	p, err := Decompose(testOrg(t, date.New(2026, time.July, 1)), cal, Spec{Metric: usd, Unit: "co", Period: periodOf(t, cal, Year, 2026, 1),
		Target: dec("1000.00"), Stretch: nullDec("1234.56"), Floor: nullDec("800.01"), Time: TimeRule{Steps: []Grain{Month}, Basis: ByWorkingDays}})
	require.NoError(t, err)
	stretch, floor := decimal.Zero, decimal.Zero
	for _, g := range p.Goals {
		require.True(t, g.Stretch.Valid && g.Floor.Valid, g.ID)
		require.True(t, g.Stretch.Decimal.GreaterThanOrEqual(g.Target), g.ID)
		require.True(t, g.Floor.Decimal.LessThanOrEqual(g.Target), g.ID)
		if kids := p.Children(g.ID); len(kids) > 0 {
			stretch, floor = decimal.Zero, decimal.Zero
			for _, k := range kids {
				stretch, floor = stretch.Add(k.Stretch.Decimal), floor.Add(k.Floor.Decimal)
			}
			require.True(t, stretch.Equal(g.Stretch.Decimal), g.ID)
			require.True(t, floor.Equal(g.Floor.Decimal), g.ID)
		}
	}
}

func TestDecomposeErrors(t *testing.T) {
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2026, 1)
	base := func() Spec { return Spec{Metric: usd, Unit: "co", Period: year, Target: dec("1000.00")} }
	tests := []struct {
		name    string
		edit    func(*Spec)
		want    error
		message string
	}{
		{"unknown root", func(s *Spec) { s.Unit = "nope" }, ErrNotFound, "nope"},
		{"bad metric", func(s *Spec) { s.Metric.Currency = "" }, ErrInvalid, "currency"},
		{"target places", func(s *Spec) { s.Target = dec("1.001") }, ErrInvalid, "decimal places"},
		{"empty period", func(s *Spec) { s.Period = Period{} }, ErrInvalid, "empty"},
		{"negative depth", func(s *Spec) { s.Depth = -1 }, ErrInvalid, "depth"},
		{"step not finer", func(s *Spec) { s.Time.Steps = []Grain{Month, Quarter} }, ErrInvalid, "finer"},
		{"step equals root grain", func(s *Spec) { s.Time.Steps = []Grain{Year} }, ErrInvalid, "finer"},
		{"bad step", func(s *Spec) { s.Time.Steps = []Grain{Range} }, ErrInvalid, "step"},
		{"bad basis", func(s *Spec) { s.Time.Basis = 7 }, ErrInvalid, "basis"},
		{"bad profile", func(s *Spec) { s.Time.Seasonal = &Profile{} }, ErrInvalid, "zero"},
		{"extreme profile weight", func(s *Spec) {
			p := EvenProfile()
			p[3] = decimal.New(1, math.MinInt32)
			s.Time.Seasonal = &p
		}, ErrInvalid, "exponent"},
		{"extreme target", func(s *Spec) { s.Target = decimal.New(1, math.MaxInt32) }, ErrInvalid, "exponent"},
		{"extreme weight", func(s *Spec) {
			s.Units = []UnitRule{{By: WeightedSplit, Values: map[string]decimal.Decimal{"ann": decimal.New(1, math.MinInt32)}}}
		}, ErrInvalid, "exponent"},
		{"extreme blend", func(s *Spec) {
			s.Units = []UnitRule{{By: HistorySplit, Values: map[string]decimal.Decimal{"ann": dec("1")}, EvenBlend: decimal.New(0, math.MinInt32)}}
		}, ErrInvalid, "exponent"},
		{"unknown rule", func(s *Spec) { s.Units = []UnitRule{{By: 9}} }, ErrInvalid, "unit rule"},
		{"weights missing", func(s *Spec) { s.Units = []UnitRule{{By: WeightedSplit}} }, ErrInvalid, "Values"},
		{"even with values", func(s *Spec) { s.Units = []UnitRule{{Values: map[string]decimal.Decimal{"ann": dec("1")}}} }, ErrInvalid, "even"},
		{"unknown unit in values", func(s *Spec) {
			s.Units = []UnitRule{{By: WeightedSplit, Values: map[string]decimal.Decimal{"zed": dec("1")}}}
		}, ErrInvalid, "zed"},
		{"negative value", func(s *Spec) {
			s.Units = []UnitRule{{By: HistorySplit, Values: map[string]decimal.Decimal{"ann": dec("-1")}}}
		}, ErrInvalid, "negative"},
		{"blend out of range", func(s *Spec) {
			s.Units = []UnitRule{{By: HistorySplit, Values: map[string]decimal.Decimal{"ann": dec("1")}, EvenBlend: dec("1.5")}}
		}, ErrInvalid, "EvenBlend"},
		{"blend on other rule", func(s *Spec) {
			s.Units = []UnitRule{{By: CapacitySplit, Values: map[string]decimal.Decimal{"ann": dec("1")}, EvenBlend: dec("0.5")}}
		}, ErrInvalid, "EvenBlend"},
		{"all weights zero", func(s *Spec) {
			s.Units = []UnitRule{{By: WeightedSplit, Values: map[string]decimal.Decimal{"ann": dec("1")}}}
		}, ErrInvalid, "rev/co/2026"},
		{"root locked", func(s *Spec) { s.Locks = map[string]decimal.Decimal{"rev/co/2026": dec("1")} }, ErrInvalid, "root"},
		{"unknown lock", func(s *Spec) { s.Locks = map[string]decimal.Decimal{"rev/east/2027": dec("1")} }, ErrInvalid, "rev/east/2027"},
		{"unknown bound", func(s *Spec) { s.Bounds = map[string]Bounds{"rev/nobody/2026": {}} }, ErrInvalid, "rev/nobody/2026"},
		{"lock places", func(s *Spec) { s.Locks = map[string]decimal.Decimal{"rev/east/2026": dec("0.001")} }, ErrInvalid, "decimal places"},
		{"lock and bound", func(s *Spec) {
			s.Locks = map[string]decimal.Decimal{"rev/east/2026": dec("1")}
			s.Bounds = map[string]Bounds{"rev/east/2026": {}}
		}, ErrInvalid, "both"},
		{"locks too big", func(s *Spec) { s.Locks = map[string]decimal.Decimal{"rev/east/2026": dec("1000.01")} }, ErrInfeasible, "rev/co/2026"},
		{"minimum too big over time", func(s *Spec) {
			s.Time.Steps = []Grain{Month}
			s.Bounds = map[string]Bounds{"rev/ann/2026-03": {Min: nullDec("300.00")}}
		}, ErrInfeasible, "rev/ann/2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.edit(&s)
			_, err := Decompose(testOrg(t, 0), cal, s)
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), tt.message)
		})
	}
	_, err := Decompose(nil, cal, base())
	require.ErrorIs(t, err, ErrInvalid)
}

func TestDecomposeNoActiveChild(t *testing.T) {
	cal := testCal(t)
	org, err := NewOrg([]Unit{{ID: "team"}, {ID: "gone", Parent: "team", ActiveUntil: date.New(2025, time.June, 1)}})
	require.NoError(t, err)
	spec := Spec{Metric: usd, Unit: "team", Period: periodOf(t, cal, Year, 2026, 1), Target: dec("10.00")}
	_, err = Decompose(org, cal, spec)
	require.ErrorIs(t, err, ErrInfeasible)
	require.Contains(t, err.Error(), "none of the 1 child units of rev/team/2026 is active")
	// A zero target has somewhere to go: nowhere.
	spec.Target = dec("0")
	p, err := Decompose(org, cal, spec)
	require.NoError(t, err)
	require.Equal(t, []string{"team/2026=0.00", "gone/2026=0.00"}, targets(p))
}

// randomOrg builds a random tree of up to n units, some joining or leaving
// during 2026.
func randomOrg(t testing.TB, r *rand.Rand, n int) *Org {
	units := []Unit{{ID: "u0"}}
	for i := 1; i < n; i++ {
		u := Unit{ID: fmt.Sprintf("u%d", i), Parent: fmt.Sprintf("u%d", r.IntN(i))}
		switch r.IntN(8) {
		case 0:
			u.ActiveFrom = date.New(2026, time.January, 1) + date.Date(r.IntN(365))
		case 1:
			u.ActiveUntil = date.New(2026, time.January, 2) + date.Date(r.IntN(365))
		case 2:
			if r.IntN(3) == 0 {
				u.ActiveUntil = date.New(2025, time.June, 1) // gone before the year
			}
		}
		units = append(units, u)
	}
	org, err := NewOrg(units)
	require.NoError(t, err)
	return org
}

func TestDecomposeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	cal, err := NewCalendar(&CalendarConfig{Holidays: []date.Date{date.New(2026, time.May, 1), date.New(2026, time.October, 1)}})
	require.NoError(t, err)
	year := periodOf(t, cal, Year, 2026, 1)
	steps := [][]Grain{nil, {Month}, {Quarter, Month}, {Month, Week}, {Half, Week}, {Month, Day}}
	planned := 0
	for iter := range 70 {
		org := randomOrg(t, r, 1+r.IntN(25))
		values := map[string]decimal.Decimal{}
		for _, u := range org.Units() {
			if r.IntN(3) > 0 {
				values[u.ID] = decimal.New(r.Int64N(100_000), -int32(r.IntN(3)))
			}
		}
		rules := make([]UnitRule, r.IntN(3))
		for k := range rules {
			switch r.IntN(4) {
			case 1:
				rules[k] = UnitRule{By: CapacitySplit, Values: values}
			case 2:
				rules[k] = UnitRule{By: HistorySplit, Values: values, EvenBlend: decimal.New(r.Int64N(11), -1)}
			case 3:
				rules[k] = UnitRule{By: HistorySplit, Values: values}
			}
		}
		var profile *Profile
		if r.IntN(2) == 0 {
			p := Profile{}
			for m := range p {
				p[m] = decimal.New(1+r.Int64N(1000), -1)
			}
			profile = &p
		}
		spec := Spec{Metric: usd, Unit: "u0", Period: year, Target: decimal.New(r.Int64N(1_000_000_000), -2), Units: rules,
			Depth: r.IntN(3), Stretch: decimal.NewNullDecimal(decimal.New(r.Int64N(1_000_000_000), -2)),
			Time: TimeRule{Steps: steps[r.IntN(len(steps))], Basis: DayBasis(r.IntN(2)), Seasonal: profile}}
		p, err := Decompose(org, cal, spec)
		if err != nil {
			// Only all-inactive children (infeasible) or children without
			// any capacity (all weights zero: invalid) may fail.
			require.True(t, errors.Is(err, ErrInfeasible) || errors.Is(err, ErrInvalid), "iter %d: %v", iter, err)
			continue
		}
		planned++
		require.Empty(t, p.Check(), "iter %d", iter)
		q, err := Decompose(org, cal, spec)
		require.NoError(t, err)
		require.Equal(t, targets(p), targets(q), "deterministic")
		for _, g := range p.Goals {
			require.True(t, FitsPlaces(g.Target, 2))
			require.GreaterOrEqual(t, g.Target.Sign(), 0)
			if g.Period.Grain != Year && g.Target.Sign() > 0 {
				u, err := org.Unit(g.Unit)
				require.NoError(t, err)
				require.Positive(t, u.ActiveDays(g.Period.Start, g.Period.End), "%s gets %s while inactive", g.ID, g.Target)
			}
		}
	}
	require.Greater(t, planned, 50)
}
