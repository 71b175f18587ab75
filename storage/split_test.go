package storage_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func credits(shares ...string) []kpi.Credit {
	out := make([]kpi.Credit, len(shares))
	for i, s := range shares {
		out[i] = kpi.Credit{Unit: fmt.Sprintf("u%d", i), Share: d(s)}
	}
	return out
}

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		name   string
		value  string
		shares []string
		places int32 // 0: storage.Split
		want   []string
	}{
		{"unsplit", "12.34", nil, 0, []string{"12.34"}},
		{"halves exact", "0.01", []string{"0.5", "0.5"}, 0, []string{"0.005", "0.005"}},
		{"thirds in cents", "100.00", []string{"0.333333", "0.333333", "0.333334"}, 2, []string{"33.33", "33.33", "33.34"}},
		{"largest remainder", "0.10", []string{"0.333333", "0.333333", "0.333334"}, 2, []string{"0.03", "0.03", "0.04"}},
		{"negative", "-100.00", []string{"0.333333", "0.333333", "0.333334"}, 2, []string{"-33.33", "-33.33", "-33.34"}},
		{"ties to the first", "0.01", []string{"0.5", "0.5"}, 2, []string{"0.01", "0.00"}},
		{"beyond 12 places", "1", []string{"0.333333333333", "0.333333333333", "0.333333333334"}, 0,
			[]string{"0.333333333333", "0.333333333333", "0.333333333334"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := kpi.Fact{Key: "k", Metric: "m", Unit: "solo", Value: d(c.value), Credits: credits(c.shares...)}
			split := storage.Split
			if c.places > 0 {
				split = storage.SplitInPlaces(func(string) int32 { return c.places })
			}
			parts, err := split(f)
			require.NoError(t, err)
			require.Len(t, parts, len(c.want))
			for i, w := range c.want {
				require.True(t, d(w).Equal(parts[i].Value), "part %d: want %s, got %s", i, w, parts[i].Value)
			}
		})
	}
}

func TestSplitRejects(t *testing.T) {
	for name, cs := range map[string][]kpi.Credit{
		"not one":    credits("0.5", "0.4"),
		"zero share": credits("1", "0"),
		"above one":  credits("1.5", "-0.5"),
		"13 places":  credits("0.5000000000001", "0.4999999999999"),
		"no unit":    {{Share: d("1")}},
		"same unit":  {{Unit: "a", Share: d("0.5")}, {Unit: "a", Share: d("0.5")}},
	} {
		_, err := storage.Split(kpi.Fact{Key: "k", Value: d("1"), Credits: cs})
		require.ErrorIs(t, err, storage.ErrInvalid, name)
	}
}

// Property: the parts always sum exactly to the value, each within one step
// of its exact share.
func TestSplitSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(6)
		left := int64(1_000_000)
		var cs []kpi.Credit
		for i := 0; i < n; i++ {
			s := left
			if i < n-1 {
				s = 1 + r.Int64N(left-int64(n-i-1))
			}
			left -= s
			cs = append(cs, kpi.Credit{Unit: fmt.Sprint(i), Share: decimal.New(s, -6)})
		}
		v := decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -int32(r.IntN(5)))
		places := int32(r.IntN(4))
		parts, err := storage.SplitInPlaces(func(string) int32 { return places })(kpi.Fact{Key: "k", Value: v, Credits: cs})
		require.NoError(t, err)
		sum := decimal.Zero
		for i, p := range parts {
			sum = sum.Add(p.Value)
			require.True(t, p.Value.Sub(v.Mul(cs[i].Share)).Abs().LessThan(decimal.New(1, -places)), "%s × %s → %s", v, cs[i].Share, p.Value)
		}
		require.True(t, v.Equal(sum), "%s split into %v sums to %s", v, parts, sum)
	}
}

func ExampleSplitInPlaces() {
	cents := storage.SplitInPlaces(func(metric string) int32 { return 2 })
	parts, _ := cents(kpi.Fact{Key: "deal-7", Metric: "revenue", Value: decimal.RequireFromString("100.00"), Credits: []kpi.Credit{
		{Unit: "ann", Share: decimal.RequireFromString("0.333333")},
		{Unit: "bob", Share: decimal.RequireFromString("0.333333")},
		{Unit: "cho", Share: decimal.RequireFromString("0.333334")},
	}})
	for _, p := range parts {
		fmt.Println(p.Unit, p.Value.StringFixed(2))
	}
	// Output:
	// ann 33.33
	// bob 33.33
	// cho 33.34
}
