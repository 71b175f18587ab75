package w1

import (
	"math"
	"testing"

	"github.com/goalkit/goalkit/goal"
)

type fact struct {
	rep, day, metric int
	value            int64
}

func TestFirstFacts(t *testing.T) {
	// splitmix64 seeded with 42, computed independently of this package
	// (Python integers mod 2^64, from BENCHMARKS.md's recipe): output x, then rep = x%1024, day = (x>>10)%365,
	// m = (x>>20)%10 and, for revenue, 10000 + (x>>32)%4990001.
	want := []struct {
		x uint64
		f fact
	}{
		{0xbdd732262feb6e95, fact{661, 348, 4, 1}}, // m 8: new_leads
		{0x28efe333b266f103, fact{259, 38, 3, 1}},  // m 6: meetings
		{0x47526757130f9f52, fact{850, 132, 2, 1}}, // m 2: calls
		{0x581ce1ff0e4ae394, fact{916, 312, 2, 1}}, // m 4: calls
		{0x09bc585a244823f2, fact{1010, 360, 0, 3668298}},
		{0xde4431fa3c80db06, fact{774, 17, 2, 1}},
		{0x37e9671c45376d5d, fact{349, 39, 1, 1}}, // m 1: won_deals
	}
	g := NewGen()
	for i, w := range want {
		x := g.Next()
		if x != w.x {
			t.Fatalf("output %d = %#x, want %#x", i, x, w.x)
		}
		if r, d, m, v := Draw(x); (fact{r, d, m, v}) != w.f {
			t.Errorf("Draw(output %d) = %v, want %v", i, fact{r, d, m, v}, w.f)
		}
		if r, d, m, v := Fact(i); (fact{r, d, m, v}) != w.f {
			t.Errorf("Fact(%d) = %v, want %v", i, fact{r, d, m, v}, w.f)
		}
	}
	if r, d, m, v := Fact(13); (fact{r, d, m, v}) != (fact{439, 319, 0, 2919668}) {
		t.Errorf("Fact(13) = %v", fact{r, d, m, v})
	}
}

func TestDistribution(t *testing.T) {
	// 10,000 facts: Fact agrees with the generator, every value is in
	// range, and the metric shares and the mean revenue are those of Share
	// and MeanMinor, within 4 standard errors.
	const n = 10_000
	g := NewGen()
	var count [NumMetrics]int
	var revenue int64
	reps, days := map[int]bool{}, map[int]bool{}
	for i := range n {
		r, d, m, v := Draw(g.Next())
		if r2, d2, m2, v2 := Fact(i); (fact{r, d, m, v}) != (fact{r2, d2, m2, v2}) {
			t.Fatalf("Fact(%d) = %v, the generator's is %v", i, fact{r2, d2, m2, v2}, fact{r, d, m, v})
		}
		if r < 0 || r >= Reps || d < 0 || d >= Days || m < 0 || m >= NumMetrics {
			t.Fatalf("fact %d out of range: %v", i, fact{r, d, m, v})
		}
		if m == 0 && (v < 10000 || v > 5_000_000) || m != 0 && v != 1 {
			t.Fatalf("fact %d's value %d out of range for %s", i, v, MetricKeys[m])
		}
		count[m]++
		if m == 0 {
			revenue += v
		}
		reps[r], days[d] = true, true
	}
	if len(reps) != Reps || len(days) != Days {
		t.Errorf("%d facts touch %d reps and %d days, want all %d and %d", n, len(reps), len(days), Reps, Days)
	}
	var tenths int64
	for m, c := range count {
		tenths += Share[m]
		p := float64(Share[m]) / 10
		if d, se := float64(c)-n*p, math.Sqrt(n*p*(1-p)); d > 4*se || d < -4*se {
			t.Errorf("%s: %d of %d facts, want about %.0f", MetricKeys[m], c, n, n*p)
		}
	}
	if tenths != 10 {
		t.Errorf("shares add up to %d tenths", tenths)
	}
	// Revenue is uniform on [10000, 5000000]: sd = 4990001/√12 cents.
	mean, se := float64(revenue)/float64(count[0]), 4990001/math.Sqrt(12*float64(count[0]))
	if d := mean - float64(MeanMinor[0]); d > 4*se || d < -4*se {
		t.Errorf("mean revenue %.0f cents, want about %d", mean, MeanMinor[0])
	}
}

func TestOrgMetricsPeriods(t *testing.T) {
	o := Org()
	if o.Len() != Units {
		t.Fatalf("org has %d units, want %d", o.Len(), Units)
	}
	for r := 0; r < Reps; r += 37 {
		i, ok := o.Index(RepID(r))
		if !ok {
			t.Fatalf("no unit %s", RepID(r))
		}
		team := o.ParentIndex(i)
		region := o.ParentIndex(team)
		if o.At(team).Kind != "team" || o.At(region).Kind != "region" || o.ParentIndex(region) != 0 {
			t.Fatalf("%s's ancestors: %v, %v", RepID(r), o.At(team), o.At(region))
		}
		if want := OrgUnits()[1+Regions+r/16].ID; o.At(team).ID != want {
			t.Errorf("%s is in %s, want %s", RepID(r), o.At(team).ID, want)
		}
		if want := OrgUnits()[1+r/128].ID; o.At(region).ID != want {
			t.Errorf("%s is in %s, want %s", RepID(r), o.At(region).ID, want)
		}
	}
	ms := Metrics()
	if len(ms) != NumMetrics || ms[0].Kind != goal.Amount || ms[0].Places != 2 {
		t.Fatalf("metrics %v", ms)
	}
	for i, m := range ms {
		if m.Key != MetricKeys[i] {
			t.Errorf("metric %d is %s, want %s", i, m.Key, MetricKeys[i])
		}
	}
	ps := Periods()
	if len(ps) != 17 || ps[0] != Span() || ps[0].Label != "2026" || ps[0].Start != Start || ps[0].Days() != Days {
		t.Fatalf("periods %v", ps)
	}
	for i, p := range ps[1:] {
		if !ps[0].Covers(p) || i > 0 && p.Start != ps[i].End && p.Grain == ps[i].Grain {
			t.Errorf("period %s", p)
		}
	}
	if ps[1].Grain != goal.Quarter || ps[5].Grain != goal.Month || ps[16].End != Date(Days) {
		t.Errorf("periods %v", ps)
	}
	if got := Decimal(0, 1234).String(); got != "12.34" {
		t.Errorf("Decimal(revenue, 1234) = %s", got)
	}
	if got := Cell(Reps-1, Days-1, NumMetrics-1); got != Cells-1 {
		t.Errorf("last cell %d, want %d", got, Cells-1)
	}
}
