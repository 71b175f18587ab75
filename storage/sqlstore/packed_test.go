package sqlstore

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

type triple struct {
	seg  int64
	v, n string
}

func triples(t *testing.T, text string) ([]triple, error) {
	t.Helper()
	var out []triple
	err := eachTriple(text, func(seg int64, v, n rollup.Sum) {
		out = append(out, triple{seg, v.Decimal().String(), n.Decimal().String()})
	})
	return out, err
}

func TestEachTriple(t *testing.T) {
	for _, c := range []struct {
		text string
		want []triple
		err  string
	}{
		{"", nil, ""},
		{"0 1.50 1", []triple{{0, "1.5", "1"}}, ""},
		{"20454 -30.25 0.5 3 0 0", []triple{{20454, "-30.25", "0.5"}, {3, "0", "0"}}, ""},
		// Beyond 18 digits: through parseDecimal, exact.
		{"1 12345678901234567890.123 1", []triple{{1, "12345678901234567890.123", "1"}}, ""},
		{"1 2", nil, "want seg, value and count triples"},
		{"1 2 3 ", nil, "want seg, value and count triples"},
		{"1  2 3", nil, "want seg, value and count triples"},
		{"x 2 3", nil, "segment \"x\" is no integer"},
		{"1 abc 3", nil, "not a decimal"},
		{"1 2 1e5000", nil, "read decimal"},
	} {
		got, err := triples(t, c.text)
		if c.err != "" {
			require.ErrorContains(t, err, c.err, c.text)
			continue
		}
		require.NoError(t, err, c.text)
		require.Equal(t, c.want, got, c.text)
	}
}

// eachTriple never panics, keeps its errors short, and reads every number
// exactly as decimal.NewFromString does.
func FuzzEachTriple(f *testing.F) {
	for _, s := range []string{"", "0 1.50 1", "20454 -30.25 0.5 3 0 0", "1 2", "1  2 3", "-1 99999999999999999999.5 -0.000", "1 2 3 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got []triple
		err := eachTriple(s, func(seg int64, v, n rollup.Sum) {
			got = append(got, triple{seg, v.Decimal().String(), n.Decimal().String()})
		})
		if err != nil {
			require.Less(t, len(err.Error()), maxMessage)
			return
		}
		toks := strings.Split(s, " ")
		if s == "" {
			toks = nil
		}
		require.Len(t, toks, 3*len(got))
		for k, g := range got {
			for j, txt := range []string{toks[3*k+1], toks[3*k+2]} {
				d, err := decimal.NewFromString(txt)
				require.NoError(t, err, txt)
				require.Equal(t, d.String(), []string{g.v, g.n}[j], txt)
			}
		}
	})
}
