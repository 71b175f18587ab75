package goal

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestLearnMonthly(t *testing.T) {
	day := func(y int, m time.Month, d int) date.Date { return date.New(y, m, d) }
	var twoYears []Dated
	for y := 2024; y <= 2025; y++ {
		for m := time.January; m <= time.December; m++ {
			twoYears = append(twoYears, Dated{day(y, m, 10), decimal.NewFromInt(int64(m) * 10)})
		}
	}
	got, err := LearnMonthly(twoYears)
	require.NoError(t, err)
	for m, w := range got {
		require.Equal(t, decimal.NewFromInt(int64(m+1)*20).String(), w.String(), "month %d: totals over two years", m+1)
	}

	// 18 months: Jan–Jun fall twice, so their totals are averaged over two
	// years; the weights are scaled by 2 instead of divided.
	var span []Dated
	for k := range 18 {
		span = append(span, Dated{date.New(2024, time.January+time.Month(k), 1), decimal.RequireFromString("1.5")})
	}
	got, err = LearnMonthly(span)
	require.NoError(t, err)
	for m, w := range got {
		require.Equal(t, "3", w.String(), "month %d", m+1)
	}

	// A month of the span with no actuals counts as zero.
	gap := []Dated{{day(2025, time.January, 1), decimal.NewFromInt(5)}, {day(2025, time.December, 31), decimal.NewFromInt(7)}}
	got, err = LearnMonthly(gap)
	require.NoError(t, err)
	require.Equal(t, "5", got[0].String())
	require.Equal(t, "0", got[5].String())
	require.Equal(t, "7", got[11].String())
}

func TestLearnMonthlyErrors(t *testing.T) {
	_, err := LearnMonthly(nil)
	require.ErrorIs(t, err, ErrInvalid)
	_, err = LearnMonthly([]Dated{{date.New(2025, time.January, 1), decimal.NewFromInt(1)}, {date.New(2025, time.November, 30), decimal.NewFromInt(1)}})
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "11 months")
	_, err = LearnMonthly([]Dated{{date.New(2025, time.January, 1), decimal.NewFromInt(-1)}, {date.New(2025, time.December, 1), decimal.NewFromInt(1)}})
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "January")
	_, err = LearnMonthly([]Dated{{date.New(2025, time.January, 1), decimal.Zero}, {date.New(2025, time.December, 1), decimal.Zero}})
	require.ErrorIs(t, err, ErrInvalid)
}

func TestProfileValidate(t *testing.T) {
	require.NoError(t, EvenProfile().Validate())
	p := EvenProfile()
	p[3] = decimal.NewFromInt(-1)
	require.ErrorIs(t, p.Validate(), ErrInvalid)
	require.ErrorIs(t, Profile{}.Validate(), ErrInvalid)
}
