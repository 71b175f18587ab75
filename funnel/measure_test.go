package funnel

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// handDeals is a small history whose measurement is computed by hand in
// TestMeasureByHand.
func handDeals(t testing.TB) []Deal {
	return []Deal{
		deal(t, "d1", "rep1", "100", "lead@2026-03-01", "qualified@2026-03-05", "proposal@2026-03-15", "won@2026-04-01"),
		deal(t, "d2", "rep1", "0", "lead@2026-03-02", "qualified@2026-03-10", "lost@2026-03-20"),
		deal(t, "d3", "rep1", "0", "lead@2026-03-03", "invalid@2026-03-04"),
		deal(t, "d4", "rep2", "300", "lead@2026-03-04", "proposal@2026-03-20", "won@2026-04-10"),     // skips qualified
		deal(t, "d5", "rep2", "50", "lead@2026-03-05"),                                               // open in lead
		deal(t, "d6", "rep2", "70", "lead@2026-03-06", "qualified@2026-03-07"),                       // open in qualified
		deal(t, "d7", "rep3", "0", "qualified@2026-03-08", "proposal@2026-03-09", "lost@2026-03-30"), // enters at qualified
		deal(t, "d8", "rep3", "10", "lead@2026-07-01"),                                               // after the as-of date
		deal(t, "d9", "rep3", "200", "lead@2026-03-01", "qualified@2026-03-02", "won@2026-06-30"),    // skips proposal, wins on as-of
	}
}

// stageCounts is the integer part of a StageMeasure, for compact tables.
type stageCounts struct {
	Entered, Skipped, Advanced, Lost, Invalid, OpenHere, OpenLater int
	AdvHits, AdvTrials, WinHits, WinTrials                         int
	Days                                                           Durations
}

func countsOf(s StageMeasure) stageCounts {
	return stageCounts{s.Entered, s.Skipped, s.Advanced, s.Lost, s.Invalid, s.OpenHere, s.OpenLater,
		s.Advance.Hits, s.Advance.Trials, s.Win.Hits, s.Win.Trials, s.Days}
}

func TestMeasureByHand(t *testing.T) {
	m, err := Measure(salesFunnel(), handDeals(t), MeasureOptions{AsOf: day(t, "2026-06-30")})
	require.NoError(t, err)
	require.Equal(t, 8, m.Deals, "d8 starts after the as-of date")
	require.Equal(t, "USD", m.Currency)

	// lead: cohort d1 d2 d3 d4 d5 d6 d9 (d7 entered at qualified).
	//   advanced d1 d2 d4 d6 d9; invalid d3; open d5; d6 advanced but open.
	//   won d1 d4 d9 of 5 resolved. Days: d1 4, d2 8, d4 16 (to proposal), d6 1, d9 1.
	// qualified: d1 d2 d4(skipped) d6 d7 d9; advanced d1 d4 d7 d9; lost d2; open d6.
	//   won 3 of 5 (d2 and d7 lost). Days: d1 10, d7 1, d9 120 (to won); d4 skipped.
	// proposal: d1 d4 d7 d9(skipped); advanced (won) d1 d4 d9; lost d7. Days d1 17, d4 21.
	want := []stageCounts{
		{7, 0, 5, 0, 1, 1, 1, 5, 6, 3, 5, Durations{N: 5, Median: 4, P90: 16}},
		{6, 1, 4, 1, 0, 1, 0, 4, 5, 3, 5, Durations{N: 3, Median: 10, P90: 120}},
		{4, 1, 3, 1, 0, 0, 0, 3, 4, 3, 4, Durations{N: 2, Median: 17, P90: 21}},
	}
	for i, w := range want {
		require.Equal(t, w, countsOf(m.Stages[i]), "stage %s", m.Stages[i].Stage)
	}
	requireDec(t, "0.833333", m.Stages[0].Advance.Rate)
	requireDec(t, "0.6", m.Stages[0].Win.Rate)
	requireDec(t, "0.8", m.Stages[1].Advance.Rate)
	requireDec(t, "0.75", m.Stages[2].Advance.Rate)
	requireDec(t, "0.833333", m.Stages[0].Advance.Smoothed, "Measure does not smooth")
	// Wilson 95% for 5 of 6 is (0.4365, 0.9699).
	requireDec(t, "0.436497", m.Stages[0].Advance.Low)
	requireDec(t, "0.969947", m.Stages[0].Advance.High)

	require.Equal(t, 3, m.Won)
	requireDec(t, "600", m.WonValue)
	requireDec(t, "200", m.AvgWonValue)
}

func TestMeasureAsOfAndWindow(t *testing.T) {
	f := salesFunnel()
	t.Run("as of the end of March", func(t *testing.T) {
		m, err := Measure(f, handDeals(t), MeasureOptions{AsOf: day(t, "2026-03-31")})
		require.NoError(t, err)
		// d1, d4 sit in proposal, d9 in qualified: nobody has won yet.
		require.Equal(t, stageCounts{7, 0, 5, 0, 1, 1, 4, 5, 6, 0, 2, Durations{N: 5, Median: 4, P90: 16}}, countsOf(m.Stages[0]))
		require.Equal(t, 0, m.Won)
		requireDec(t, "0", m.AvgWonValue)
	})
	t.Run("half-open window", func(t *testing.T) {
		m, err := Measure(f, handDeals(t), MeasureOptions{AsOf: day(t, "2026-06-30"), From: day(t, "2026-03-05"), To: day(t, "2026-04-01")})
		require.NoError(t, err)
		// Lead entries on or after 5 March: d5, d6.
		require.Equal(t, 2, m.Stages[0].Entered)
		// Won on 1 April and later lies outside [5 March, 1 April).
		require.Equal(t, 0, m.Won)
		m, err = Measure(f, handDeals(t), MeasureOptions{AsOf: day(t, "2026-06-30"), From: day(t, "2026-04-01"), To: day(t, "2026-07-01")})
		require.NoError(t, err)
		require.Equal(t, 3, m.Won)
		require.Equal(t, 0, m.Stages[0].Entered)
	})
	t.Run("no sample", func(t *testing.T) {
		m, err := Measure(f, nil, MeasureOptions{AsOf: day(t, "2026-06-30")})
		require.NoError(t, err)
		r := m.Stages[0].Advance
		require.Equal(t, 0, r.Trials)
		requireDec(t, "0", r.Rate)
		requireDec(t, "0", r.Low)
		requireDec(t, "1", r.High)
	})
}

func TestMeasureRegression(t *testing.T) {
	// A deal that moves back keeps what it reached: it passed qualified on
	// the 5th, whatever happened after.
	d := deal(t, "r", "u", "10", "lead@2026-01-01", "qualified@2026-01-05", "lead@2026-01-07", "qualified@2026-01-20")
	m, err := Measure(salesFunnel(), []Deal{d}, MeasureOptions{AsOf: day(t, "2026-02-01")})
	require.NoError(t, err)
	require.Equal(t, 1, m.Stages[0].Advanced)
	require.Equal(t, Durations{N: 1, Median: 4, P90: 4}, m.Stages[0].Days)
	require.Equal(t, 1, m.Stages[1].OpenHere)
}

func TestMeasureErrors(t *testing.T) {
	f := salesFunnel()
	asOf := day(t, "2026-06-30")
	eur := deal(t, "e", "rep1", "5", "lead@2026-03-01")
	eur.Currency = "EUR"
	tests := []struct {
		name  string
		f     Funnel
		deals []Deal
		o     MeasureOptions
		is    error
		msg   string
	}{
		{"no as-of", f, nil, MeasureOptions{}, ErrInvalid, "never reads the clock"},
		{"inverted window", f, nil, MeasureOptions{AsOf: asOf, From: asOf, To: asOf - 1}, ErrInvalid, "half-open"},
		{"bad funnel", Funnel{Key: "x"}, nil, MeasureOptions{AsOf: asOf}, ErrInvalid, "no stages"},
		{"bad deal", f, []Deal{deal(t, "", "u", "1", "lead@2026-01-01")}, MeasureOptions{AsOf: asOf}, ErrInvalid, "ID is empty"},
		{"currencies", f, append(handDeals(t), eur), MeasureOptions{AsOf: asOf}, ErrCurrencyMismatch, "\"EUR\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Measure(tt.f, tt.deals, tt.o)
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.msg)
		})
	}
}

// handOrg is company → team A (rep1, rep2), team B (rep3), listed children
// first to show order does not matter.
func handOrg(t testing.TB) *goal.Org {
	o, err := goal.NewOrg([]goal.Unit{
		{ID: "rep1", Parent: "A"}, {ID: "rep2", Parent: "A"}, {ID: "rep3", Parent: "B"},
		{ID: "A", Parent: "co"}, {ID: "B", Parent: "co"}, {ID: "co"},
	})
	require.NoError(t, err)
	return o
}

func TestMeasureByUnit(t *testing.T) {
	f := salesFunnel()
	org := handOrg(t)
	deals := handDeals(t)
	o := MeasureOptions{AsOf: day(t, "2026-06-30")}
	ms, err := MeasureByUnit(f, deals, org, o)
	require.NoError(t, err)
	require.Len(t, ms, org.Len())
	by := map[string]Measurement{}
	for i, m := range ms {
		require.Equal(t, org.At(i).ID, m.Unit)
		by[m.Unit] = m
	}

	// Every unit equals Measure over its own deals and its descendants'.
	for _, u := range []string{"rep1", "rep2", "rep3", "A", "B", "co"} {
		var own []Deal
		for _, d := range deals {
			if d.Unit == u || org.IsAncestor(u, d.Unit) {
				own = append(own, d)
			}
		}
		pooled, err := Measure(f, own, o)
		require.NoError(t, err)
		for s := range pooled.Stages {
			require.Equal(t, countsOf(pooled.Stages[s]), countsOf(by[u].Stages[s]), "unit %s stage %d", u, s)
		}
		require.Equal(t, pooled.Won, by[u].Won)
		requireDec(t, pooled.WonValue.String(), by[u].WonValue)
	}

	// Smoothing with 20 pseudo-deals, down the tree. Lead advance:
	// co 5/6 (root, unsmoothed); A = d1..d6 → 4/5; rep1 = d1 d2 d3 → 2/3.
	co := by["co"].Stages[0].Advance
	requireDec(t, "0.833333", co.Smoothed)
	a := by["A"].Stages[0].Advance
	require.Equal(t, [2]int{4, 5}, [2]int{a.Hits, a.Trials})
	// (4 + 20·0.833333) / 25 = 0.8266664
	requireDec(t, "0.826666", a.Smoothed)
	r1 := by["rep1"].Stages[0].Advance
	require.Equal(t, [2]int{2, 3}, [2]int{r1.Hits, r1.Trials})
	// (2 + 20·0.826666) / 23 = 0.8057965...
	requireDec(t, "0.805797", r1.Smoothed)

	t.Run("smoothing off", func(t *testing.T) {
		o := o
		o.PriorStrength = -1
		ms, err := MeasureByUnit(f, deals, org, o)
		require.NoError(t, err)
		for _, m := range ms {
			for _, s := range m.Stages {
				require.True(t, s.Advance.Rate.Equal(s.Advance.Smoothed))
			}
		}
	})
	t.Run("unit not in org", func(t *testing.T) {
		_, err := MeasureByUnit(f, append(handDeals(t), deal(t, "x", "ghost", "1", "lead@2026-03-01")), org, o)
		require.ErrorIs(t, err, ErrNotFound)
		require.Contains(t, err.Error(), "ghost")
	})
	t.Run("nil org", func(t *testing.T) {
		_, err := MeasureByUnit(f, deals, nil, o)
		require.ErrorIs(t, err, ErrInvalid)
	})
}

func TestModelFromMeasurement(t *testing.T) {
	f := salesFunnel()
	f.Stages[2].Probability.Valid = true
	f.Stages[2].Probability.Decimal = dec(t, "0.8")
	m, err := Measure(f, handDeals(t), MeasureOptions{AsOf: day(t, "2026-06-30")})
	require.NoError(t, err)
	md := m.ResolvedModel()
	require.NoError(t, md.Validate())
	requireDec(t, "0.833333", md.Stages[0].Advance)
	requireDec(t, "0.6", md.Stages[0].Win)
	requireDec(t, "0.8", md.Stages[2].Win, "the host-set probability wins over the measured 0.75")
	requireDec(t, "0.75", md.Stages[2].Advance)
	require.Equal(t, []int{4, 10, 17}, []int{md.Stages[0].Days, md.Stages[1].Days, md.Stages[2].Days})
	requireDec(t, "200", md.AvgWonValue)
	require.Equal(t, "USD", md.Currency)

	// Model takes the censoring-aware rates and lag distributions
	// (TestMeasureCensoredByHand computes them).
	md = m.Model()
	require.NoError(t, md.Validate())
	requireDec(t, "0.714286", md.Stages[0].Advance, "d5, open for 117 days, is at risk, not ignored")
	requireDec(t, "0.714286", md.Stages[0].Win)
	requireDec(t, "0.8", md.Stages[2].Win, "the host-set probability wins over the measured one")
	require.Equal(t, []Lag{{Days: 31, Weight: 200_000}, {Days: 37, Weight: 200_000}, {Days: 121, Weight: 600_000}}, md.Stages[0].Lags)
	require.Equal(t, []int{4, 10, 17}, []int{md.Stages[0].Days, md.Stages[1].Days, md.Stages[2].Days})
	md.Stages[0].Lags[0].Days = 99
	require.Equal(t, 31, m.Stages[0].Lags[0].Days, "the model owns its lags")

	bad := md
	bad.Stages = slices.Clone(md.Stages)
	bad.Stages[1].Lags = []Lag{{Days: 3, Weight: 0}}
	require.ErrorIs(t, bad.Validate(), ErrInvalid)
	bad.Stages[1].Lags = []Lag{{Days: -1, Weight: 1}}
	require.ErrorIs(t, bad.Validate(), ErrInvalid)
}
