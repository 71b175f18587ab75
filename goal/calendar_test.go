package goal_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
)

// day parses an ISO date for tests.
func ymd(s string) date.Date { return date.MustParseISO(s) }

func newCal(t testing.TB, cfg *goal.CalendarConfig) *goal.Calendar {
	t.Helper()
	c, err := goal.NewCalendar(cfg)
	require.NoError(t, err)
	return c
}

// period builds the expected period for table tests.
func wantPeriod(g goal.Grain, start, end, label string) goal.Period {
	return goal.Period{Grain: g, Start: ymd(start), End: ymd(end), Label: label}
}

func requireInvalid(t testing.TB, err error, field string, contains ...string) *goal.ValidationError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, goal.ErrInvalid)
	var ve *goal.ValidationError
	require.True(t, errors.As(err, &ve), "error %v is not a *goal.ValidationError", err)
	if field != "" {
		require.Equal(t, field, ve.Field)
	}
	for _, s := range contains {
		require.Contains(t, err.Error(), s)
	}
	return ve
}

// Calendars used throughout the tests.
var (
	gregorianISO = &goal.CalendarConfig{}
	aprilByEnd   = &goal.CalendarConfig{FiscalYearStart: time.April}
	aprilByStart = &goal.CalendarConfig{FiscalYearStart: time.April, FiscalYearNamedByStart: true}
	octByStart   = &goal.CalendarConfig{FiscalYearStart: time.October, FiscalYearNamedByStart: true, Weeks: goal.FirstDayWeeks, WeekStart: time.Sunday}
	octByEnd     = &goal.CalendarConfig{FiscalYearStart: time.October}
	febSunday    = &goal.CalendarConfig{FiscalYearStart: time.February, Weeks: goal.FirstDayWeeks, WeekStart: time.Sunday}
	janSunday    = &goal.CalendarConfig{Weeks: goal.FirstDayWeeks, WeekStart: time.Sunday}
	janMonday    = &goal.CalendarConfig{Weeks: goal.FirstDayWeeks, WeekStart: time.Monday}
	julySaturday = &goal.CalendarConfig{FiscalYearStart: time.July, Weeks: goal.FirstDayWeeks, WeekStart: time.Saturday}
)

var allConfigs = map[string]*goal.CalendarConfig{
	"gregorian ISO":         gregorianISO,
	"April by end":          aprilByEnd,
	"April by start":        aprilByStart,
	"October by start, Sun": octByStart,
	"October by end":        octByEnd,
	"February, Sun weeks":   febSunday,
	"January, Sun weeks":    janSunday,
	"January, Mon weeks":    janMonday,
	"July, Sat weeks":       julySaturday,
}

var calendarGrains = []goal.Grain{goal.Day, goal.Week, goal.Month, goal.Quarter, goal.Half, goal.Year}

func TestNewCalendarRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name     string
		cfg      goal.CalendarConfig
		field    string
		contains string
	}{
		{"fiscal year start 13", goal.CalendarConfig{FiscalYearStart: 13}, "fiscal year start", `"13"`},
		{"fiscal year start -1", goal.CalendarConfig{FiscalYearStart: -1}, "fiscal year start", "time.January"},
		{"week numbering 2", goal.CalendarConfig{Weeks: 2}, "week numbering", "goal.FirstDayWeeks"},
		{"week start 7", goal.CalendarConfig{Weeks: goal.FirstDayWeeks, WeekStart: 7}, "week start", "time.Sunday"},
		{"week start -1", goal.CalendarConfig{Weeks: goal.FirstDayWeeks, WeekStart: -1}, "week start", "time.Saturday"},
		{"empty workweek", goal.CalendarConfig{Workweek: []time.Weekday{}}, "workweek", "at least one working weekday"},
		{"workweek day 7", goal.CalendarConfig{Workweek: []time.Weekday{time.Monday, 7}}, "workweek", `"7"`},
		{"holiday and make-up", goal.CalendarConfig{
			Holidays:   []date.Date{ymd("2025-10-01"), ymd("2025-10-11")},
			MakeupDays: []date.Date{ymd("2025-10-11")},
		}, "make-up day", "2025-10-11"},
		{"holiday and make-up on a workday", goal.CalendarConfig{
			Holidays:   []date.Date{ymd("2025-10-01")},
			MakeupDays: []date.Date{ymd("2025-10-01")},
		}, "make-up day", "2025-10-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := goal.NewCalendar(&tc.cfg)
			require.Nil(t, c)
			requireInvalid(t, err, tc.field, tc.contains)
		})
	}
}

func TestNewCalendarDefaults(t *testing.T) {
	for _, cfg := range []*goal.CalendarConfig{nil, {}, {FiscalYearStart: time.January, FiscalYearNamedByStart: true}, {WeekStart: 9}} {
		c := newCal(t, cfg)
		// Monday 2026-03-02 .. Sunday 2026-03-08: five working days.
		require.Equal(t, 5, c.WorkingDays(ymd("2026-03-02"), ymd("2026-03-09")))
		w, err := c.PeriodOf(goal.Week, ymd("2026-03-08"))
		require.NoError(t, err)
		require.Equal(t, wantPeriod(goal.Week, "2026-03-02", "2026-03-09", "2026-W10"), w)
		y, err := c.PeriodOf(goal.Year, ymd("2026-03-08"))
		require.NoError(t, err)
		require.Equal(t, wantPeriod(goal.Year, "2026-01-01", "2027-01-01", "2026"), y)
	}
}

func TestNewCalendarCopiesConfig(t *testing.T) {
	cfg := &goal.CalendarConfig{
		Workweek:   []time.Weekday{time.Monday},
		Holidays:   []date.Date{ymd("2026-03-02")},
		MakeupDays: []date.Date{ymd("2026-03-03")},
	}
	c := newCal(t, cfg)
	cfg.Workweek[0] = time.Tuesday
	cfg.Holidays[0] = ymd("2026-03-09")
	cfg.MakeupDays[0] = ymd("2026-03-10")
	require.False(t, c.IsWorkingDay(ymd("2026-03-02")))
	require.True(t, c.IsWorkingDay(ymd("2026-03-03")))
	require.True(t, c.IsWorkingDay(ymd("2026-03-09")))
	require.False(t, c.IsWorkingDay(ymd("2026-03-10")))
}

func TestISOWeeks(t *testing.T) {
	c := newCal(t, nil)
	tests := []struct {
		d    string
		want goal.Period
	}{
		{"2026-01-01", wantPeriod(goal.Week, "2025-12-29", "2026-01-05", "2026-W01")},
		{"2025-12-29", wantPeriod(goal.Week, "2025-12-29", "2026-01-05", "2026-W01")},
		{"2021-01-01", wantPeriod(goal.Week, "2020-12-28", "2021-01-04", "2020-W53")},
		{"2026-12-31", wantPeriod(goal.Week, "2026-12-28", "2027-01-04", "2026-W53")},
		{"2027-01-03", wantPeriod(goal.Week, "2026-12-28", "2027-01-04", "2026-W53")},
		{"2027-01-04", wantPeriod(goal.Week, "2027-01-04", "2027-01-11", "2027-W01")},
		{"2026-03-01", wantPeriod(goal.Week, "2026-02-23", "2026-03-02", "2026-W09")},
		{"2024-12-30", wantPeriod(goal.Week, "2024-12-30", "2025-01-06", "2025-W01")},
		{"2023-01-01", wantPeriod(goal.Week, "2022-12-26", "2023-01-02", "2022-W52")},
	}
	for _, tc := range tests {
		got, err := c.PeriodOf(goal.Week, ymd(tc.d))
		require.NoError(t, err)
		require.Equal(t, tc.want, got, tc.d)
	}
	for year, weeks := range map[int]int{2015: 53, 2020: 53, 2021: 52, 2025: 52, 2026: 53, 2027: 52, 2032: 53} {
		require.Equal(t, weeks, c.WeeksIn(year), "ISO weeks in %d", year)
	}
	// Property: 28 December always lies in the last ISO week of its year.
	for year := 1; year <= 9999; year += 7 {
		_, last := ymd("2000-12-28").AddDate(year-2000, 0, 0).ISOWeek()
		require.Equal(t, last, c.WeeksIn(year), "ISO weeks in %d", year)
	}
}

func TestFirstDayWeeks(t *testing.T) {
	sunday := newCal(t, janSunday)
	monday := newCal(t, janMonday)
	tests := []struct {
		c    *goal.Calendar
		d    string
		want goal.Period
	}{
		// Week 1 is the week holding 1 January, even when most of it is in December.
		{sunday, "2026-01-01", wantPeriod(goal.Week, "2025-12-28", "2026-01-04", "2026-W01")},
		{sunday, "2025-12-28", wantPeriod(goal.Week, "2025-12-28", "2026-01-04", "2026-W01")},
		{sunday, "2025-12-27", wantPeriod(goal.Week, "2025-12-21", "2025-12-28", "2025-W52")},
		{sunday, "2026-01-04", wantPeriod(goal.Week, "2026-01-04", "2026-01-11", "2026-W02")},
		{sunday, "2022-12-31", wantPeriod(goal.Week, "2022-12-25", "2023-01-01", "2022-W53")},
		{sunday, "2023-01-01", wantPeriod(goal.Week, "2023-01-01", "2023-01-08", "2023-W01")},
		{sunday, "2026-03-15", wantPeriod(goal.Week, "2026-03-15", "2026-03-22", "2026-W12")},
		// With Monday weeks, 2021-01-01 is in 2021-W01, not ISO's 2020-W53.
		{monday, "2021-01-01", wantPeriod(goal.Week, "2020-12-28", "2021-01-04", "2021-W01")},
		{monday, "2020-12-27", wantPeriod(goal.Week, "2020-12-21", "2020-12-28", "2020-W52")},
	}
	for _, tc := range tests {
		got, err := tc.c.PeriodOf(goal.Week, ymd(tc.d))
		require.NoError(t, err)
		require.Equal(t, tc.want, got, tc.d)
	}
	require.Equal(t, 52, sunday.WeeksIn(2025))
	require.Equal(t, 52, sunday.WeeksIn(2026))
	require.Equal(t, 53, sunday.WeeksIn(2022)) // 2021-12-26 .. 2023-01-01
	require.Equal(t, 52, monday.WeeksIn(2020))
}

func TestPeriodOfFiscalYears(t *testing.T) {
	tests := []struct {
		name string
		cfg  *goal.CalendarConfig
		g    goal.Grain
		d    string
		want goal.Period
	}{
		{"calendar year", gregorianISO, goal.Year, "2026-03-15", wantPeriod(goal.Year, "2026-01-01", "2027-01-01", "2026")},
		{"calendar half", gregorianISO, goal.Half, "2026-07-01", wantPeriod(goal.Half, "2026-07-01", "2027-01-01", "2026-H2")},
		{"calendar quarter", gregorianISO, goal.Quarter, "2026-03-31", wantPeriod(goal.Quarter, "2026-01-01", "2026-04-01", "2026-Q1")},
		{"month", gregorianISO, goal.Month, "2026-03-15", wantPeriod(goal.Month, "2026-03-01", "2026-04-01", "2026-03")},
		{"leap February", gregorianISO, goal.Month, "2024-02-29", wantPeriod(goal.Month, "2024-02-01", "2024-03-01", "2024-02")},
		{"December", gregorianISO, goal.Month, "2026-12-31", wantPeriod(goal.Month, "2026-12-01", "2027-01-01", "2026-12")},
		{"day", gregorianISO, goal.Day, "2026-03-15", wantPeriod(goal.Day, "2026-03-15", "2026-03-16", "2026-03-15")},

		{"FY by end: first day", aprilByEnd, goal.Year, "2025-04-01", wantPeriod(goal.Year, "2025-04-01", "2026-04-01", "FY2026")},
		{"FY by end: last day", aprilByEnd, goal.Year, "2026-03-31", wantPeriod(goal.Year, "2025-04-01", "2026-04-01", "FY2026")},
		{"FY by end: next year", aprilByEnd, goal.Year, "2026-04-01", wantPeriod(goal.Year, "2026-04-01", "2027-04-01", "FY2027")},
		{"FY by end: H1", aprilByEnd, goal.Half, "2025-09-30", wantPeriod(goal.Half, "2025-04-01", "2025-10-01", "FY2026-H1")},
		{"FY by end: H2", aprilByEnd, goal.Half, "2025-10-01", wantPeriod(goal.Half, "2025-10-01", "2026-04-01", "FY2026-H2")},
		{"FY by end: Q1", aprilByEnd, goal.Quarter, "2025-04-01", wantPeriod(goal.Quarter, "2025-04-01", "2025-07-01", "FY2026-Q1")},
		{"FY by end: Q3", aprilByEnd, goal.Quarter, "2025-12-31", wantPeriod(goal.Quarter, "2025-10-01", "2026-01-01", "FY2026-Q3")},
		{"FY by end: Q4", aprilByEnd, goal.Quarter, "2026-01-15", wantPeriod(goal.Quarter, "2026-01-01", "2026-04-01", "FY2026-Q4")},
		{"FY by end: months stay calendar months", aprilByEnd, goal.Month, "2026-01-15", wantPeriod(goal.Month, "2026-01-01", "2026-02-01", "2026-01")},

		{"FY by start", aprilByStart, goal.Year, "2025-04-01", wantPeriod(goal.Year, "2025-04-01", "2026-04-01", "FY2025")},
		{"FY by start: last day", aprilByStart, goal.Year, "2026-03-31", wantPeriod(goal.Year, "2025-04-01", "2026-04-01", "FY2025")},
		{"FY by start: Q4", aprilByStart, goal.Quarter, "2026-03-31", wantPeriod(goal.Quarter, "2026-01-01", "2026-04-01", "FY2025-Q4")},

		{"October by start", octByStart, goal.Year, "2025-10-01", wantPeriod(goal.Year, "2025-10-01", "2026-10-01", "FY2025")},
		{"October by start: Q2", octByStart, goal.Quarter, "2026-02-01", wantPeriod(goal.Quarter, "2026-01-01", "2026-04-01", "FY2025-Q2")},
		{"October by start: H1", octByStart, goal.Half, "2026-03-31", wantPeriod(goal.Half, "2025-10-01", "2026-04-01", "FY2025-H1")},
		{"October by end (US federal)", octByEnd, goal.Year, "2025-10-01", wantPeriod(goal.Year, "2025-10-01", "2026-10-01", "FY2026")},
		{"October by end: September", octByEnd, goal.Quarter, "2025-09-30", wantPeriod(goal.Quarter, "2025-07-01", "2025-10-01", "FY2025-Q4")},

		{"February: quarter across New Year", febSunday, goal.Quarter, "2026-01-31", wantPeriod(goal.Quarter, "2025-11-01", "2026-02-01", "FY2026-Q4")},
		{"February: first quarter", febSunday, goal.Quarter, "2026-02-01", wantPeriod(goal.Quarter, "2026-02-01", "2026-05-01", "FY2027-Q1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := newCal(t, tc.cfg).PeriodOf(tc.g, ymd(tc.d))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestPeriodOfRejectsNonCalendarGrains(t *testing.T) {
	c := newCal(t, nil)
	for _, g := range []goal.Grain{goal.Range, goal.Year + 1, 255} {
		_, err := c.PeriodOf(g, ymd("2026-01-01"))
		requireInvalid(t, err, "grain", "goal.Day")
	}
}

// Property: the period of d holds d, is non-empty and nests in the coarser
// period of d (weeks aside, which do not nest in months).
func TestPeriodOfProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, cfg := range allConfigs {
		c := newCal(t, cfg)
		for range 600 {
			d := randomDate(rng)
			var prev goal.Period
			for _, g := range calendarGrains {
				p, err := c.PeriodOf(g, d)
				if err != nil || !p.Contains(d) || p.Grain != g || p.Days() <= 0 {
					t.Fatalf("%s: %s of %s is %+v, %v", name, g, d, p, err)
				}
				if !prev.IsZero() && g != goal.Week && prev.Grain != goal.Week && !p.Covers(prev) {
					t.Fatalf("%s: %v does not cover %v", name, p, prev)
				}
				if g == goal.Week {
					if again, _ := c.PeriodOf(goal.Week, p.Start); p.Days() != 7 || again != p {
						t.Fatalf("%s: week %+v of %s, week of its start %+v", name, p, d, again)
					}
				}
				prev = p
			}
		}
	}
}

// randomDate returns a date in 1900..2200, plus a few near the label limits.
func randomDate(rng *rand.Rand) date.Date {
	if rng.IntN(50) == 0 {
		return ymd("0002-01-01") + date.Date(rng.IntN(400))
	}
	if rng.IntN(50) == 0 {
		return ymd("9998-01-01") + date.Date(rng.IntN(300))
	}
	return ymd("1900-01-01") + date.Date(rng.IntN(300*366))
}

func TestPeriodContainsIsHalfOpen(t *testing.T) {
	c := newCal(t, nil)
	march, err := c.PeriodOf(goal.Month, ymd("2026-03-01"))
	require.NoError(t, err)
	feb, err := c.PeriodOf(goal.Month, ymd("2026-02-28"))
	require.NoError(t, err)
	require.Equal(t, feb.End, march.Start)
	// A fact on the 1st belongs to that month only.
	require.True(t, march.Contains(ymd("2026-03-01")))
	require.False(t, feb.Contains(ymd("2026-03-01")))
	require.True(t, march.Contains(ymd("2026-03-31")))
	require.False(t, march.Contains(ymd("2026-04-01")))
	require.True(t, feb.Contains(ymd("2026-02-28")))
	require.False(t, march.Contains(ymd("2026-02-28")))
	require.False(t, feb.Overlaps(march))
	require.Equal(t, 28, feb.Days())
	require.Equal(t, 31, march.Days())

	q1, _ := c.PeriodOf(goal.Quarter, ymd("2026-02-01"))
	require.True(t, q1.Covers(feb))
	require.True(t, q1.Covers(march))
	require.True(t, q1.Overlaps(march))
	require.False(t, march.Covers(q1))
}

func TestNewRange(t *testing.T) {
	r, err := goal.NewRange(ymd("2026-01-01"), ymd("2026-02-01"))
	require.NoError(t, err)
	require.Equal(t, wantPeriod(goal.Range, "2026-01-01", "2026-02-01", "[2026-01-01,2026-02-01)"), r)
	require.Equal(t, "[2026-01-01,2026-02-01)", r.String())
	require.Equal(t, 31, r.Days())
	require.False(t, r.IsZero())
	require.True(t, goal.Period{}.IsZero())

	_, err = goal.NewRange(ymd("2026-02-01"), ymd("2026-02-01"))
	requireInvalid(t, err, "range", "[2026-02-01,2026-02-01)", "half-open")
	_, err = goal.NewRange(ymd("2026-02-01"), ymd("2026-01-01"))
	requireInvalid(t, err, "range")
}

func TestGrainString(t *testing.T) {
	for g, s := range map[goal.Grain]string{goal.Range: "range", goal.Day: "day", goal.Week: "week", goal.Month: "month", goal.Quarter: "quarter", goal.Half: "half", goal.Year: "year", 9: "Grain(9)"} {
		require.Equal(t, s, g.String())
	}
}

// China's 2025 public holidays around Spring Festival and National Day, with
// the weekend days worked in exchange (调休).
var china2025 = &goal.CalendarConfig{
	Holidays: []date.Date{
		ymd("2025-01-01"),
		ymd("2025-01-28"), ymd("2025-01-29"), ymd("2025-01-30"), ymd("2025-01-31"),
		ymd("2025-02-01"), ymd("2025-02-02"), ymd("2025-02-03"), ymd("2025-02-04"),
		ymd("2025-10-01"), ymd("2025-10-02"), ymd("2025-10-03"), ymd("2025-10-04"),
		ymd("2025-10-05"), ymd("2025-10-06"), ymd("2025-10-07"), ymd("2025-10-08"),
	},
	MakeupDays: []date.Date{ymd("2025-01-26"), ymd("2025-02-08"), ymd("2025-09-28"), ymd("2025-10-11")},
}

func TestWorkingDays(t *testing.T) {
	china := newCal(t, china2025)
	plain := newCal(t, nil)
	middleEast := newCal(t, &goal.CalendarConfig{Workweek: []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday}})
	sixDays := newCal(t, &goal.CalendarConfig{Workweek: []time.Weekday{time.Saturday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Monday}})
	tests := []struct {
		name       string
		c          *goal.Calendar
		start, end string
		want       int
	}{
		// 23 weekdays, 6 of them holidays (1-3 and 6-8 Oct), Saturday 11 Oct worked.
		{"China October 2025", china, "2025-10-01", "2025-11-01", 18},
		{"plain October 2025", plain, "2025-10-01", "2025-11-01", 23},
		// 23 weekdays − 1 Jan − 28..31 Jan + Sunday 26 Jan.
		{"China January 2025", china, "2025-01-01", "2025-02-01", 19},
		// 20 weekdays − 3 and 4 Feb + Saturday 8 Feb.
		{"China February 2025", china, "2025-02-01", "2025-03-01", 19},
		// September: 22 weekdays + Sunday 28 Sep.
		{"China September 2025", china, "2025-09-01", "2025-10-01", 23},
		{"one make-up day", china, "2025-10-11", "2025-10-12", 1},
		{"one holiday", china, "2025-10-01", "2025-10-02", 0},
		{"holiday on a weekend changes nothing", china, "2025-10-04", "2025-10-06", 0},
		{"empty", china, "2025-10-11", "2025-10-11", 0},
		{"inverted", china, "2025-10-12", "2025-10-01", 0},
		{"plain year 2026", plain, "2026-01-01", "2027-01-01", 261},
		{"plain leap year 2024", plain, "2024-01-01", "2025-01-01", 262},
		{"Sunday to Thursday, one week", middleEast, "2026-03-01", "2026-03-08", 5},
		{"Sunday to Thursday, Friday and Saturday", middleEast, "2026-03-06", "2026-03-08", 0},
		{"six days with a duplicate weekday", sixDays, "2026-03-02", "2026-03-16", 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.c.WorkingDays(ymd(tc.start), ymd(tc.end)))
		})
	}
	require.True(t, china.IsWorkingDay(ymd("2025-10-11")))
	require.True(t, china.IsWorkingDay(ymd("2025-09-28")))
	require.False(t, china.IsWorkingDay(ymd("2025-10-01")))
	require.False(t, china.IsWorkingDay(ymd("2025-10-12")))
	require.True(t, china.IsWorkingDay(ymd("2025-10-09")))
}

// Property: WorkingDays and IsWorkingDay agree with a naive day-by-day count
// straight from the configuration, for random workweeks, holidays, make-up
// days and ranges.
func TestWorkingDaysMatchesNaiveCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := ymd("2026-01-01")
	for round := range 300 {
		var work [7]bool
		var workweek []time.Weekday
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if rng.IntN(3) > 0 {
				work[wd] = true
				workweek = append(workweek, wd)
			}
		}
		if len(workweek) == 0 {
			work[time.Wednesday] = true
			workweek = []time.Weekday{time.Wednesday}
		}
		holiday := map[date.Date]bool{}
		makeup := map[date.Date]bool{}
		cfg := &goal.CalendarConfig{Workweek: workweek}
		for range rng.IntN(60) {
			d := base + date.Date(rng.IntN(800)-100)
			if makeup[d] {
				continue
			}
			holiday[d] = true
			cfg.Holidays = append(cfg.Holidays, d) // duplicates allowed
		}
		for range rng.IntN(30) {
			d := base + date.Date(rng.IntN(800)-100)
			if holiday[d] {
				continue
			}
			makeup[d] = true
			cfg.MakeupDays = append(cfg.MakeupDays, d)
		}
		c := newCal(t, cfg)
		isWorking := func(d date.Date) bool {
			switch {
			case holiday[d]:
				return false
			case makeup[d]:
				return true
			}
			return work[d.Weekday()]
		}
		for range 50 {
			start := base + date.Date(rng.IntN(900)-150)
			end := start + date.Date(rng.IntN(400)-20)
			want := 0
			for d := start; d < end; d++ {
				if isWorking(d) {
					want++
				}
			}
			require.Equal(t, want, c.WorkingDays(start, end), "round %d: [%s,%s)", round, start, end)
			require.Equal(t, isWorking(start), c.IsWorkingDay(start))
		}
	}
}

func TestSplit(t *testing.T) {
	iso := newCal(t, nil)
	april := newCal(t, aprilByEnd)
	feb := newCal(t, febSunday)

	march, _ := iso.Parse("2026-03")
	weeks, err := iso.Split(march, goal.Week)
	require.NoError(t, err)
	require.Equal(t, []goal.Period{
		wantPeriod(goal.Week, "2026-03-01", "2026-03-02", "2026-W09"), // clipped, keeps its label
		wantPeriod(goal.Week, "2026-03-02", "2026-03-09", "2026-W10"),
		wantPeriod(goal.Week, "2026-03-09", "2026-03-16", "2026-W11"),
		wantPeriod(goal.Week, "2026-03-16", "2026-03-23", "2026-W12"),
		wantPeriod(goal.Week, "2026-03-23", "2026-03-30", "2026-W13"),
		wantPeriod(goal.Week, "2026-03-30", "2026-04-01", "2026-W14"), // clipped
	}, weeks)

	fy2026, _ := april.Parse("FY2026")
	quarters, err := april.Split(fy2026, goal.Quarter)
	require.NoError(t, err)
	require.Equal(t, []goal.Period{
		wantPeriod(goal.Quarter, "2025-04-01", "2025-07-01", "FY2026-Q1"),
		wantPeriod(goal.Quarter, "2025-07-01", "2025-10-01", "FY2026-Q2"),
		wantPeriod(goal.Quarter, "2025-10-01", "2026-01-01", "FY2026-Q3"),
		wantPeriod(goal.Quarter, "2026-01-01", "2026-04-01", "FY2026-Q4"),
	}, quarters)
	halves, err := april.Split(fy2026, goal.Half)
	require.NoError(t, err)
	require.Equal(t, []goal.Period{
		wantPeriod(goal.Half, "2025-04-01", "2025-10-01", "FY2026-H1"),
		wantPeriod(goal.Half, "2025-10-01", "2026-04-01", "FY2026-H2"),
	}, halves)

	// A calendar year on a fiscal calendar splits into calendar quarters.
	cy2026, _ := feb.Parse("2026")
	quarters, err = feb.Split(cy2026, goal.Quarter)
	require.NoError(t, err)
	require.Equal(t, []goal.Period{
		wantPeriod(goal.Quarter, "2026-01-01", "2026-04-01", "2026-Q1"),
		wantPeriod(goal.Quarter, "2026-04-01", "2026-07-01", "2026-Q2"),
		wantPeriod(goal.Quarter, "2026-07-01", "2026-10-01", "2026-Q3"),
		wantPeriod(goal.Quarter, "2026-10-01", "2027-01-01", "2026-Q4"),
	}, quarters)
	// A range splits into the calendar's fiscal quarters, clipped.
	r, _ := goal.NewRange(ymd("2026-01-15"), ymd("2026-05-10"))
	quarters, err = feb.Split(r, goal.Quarter)
	require.NoError(t, err)
	require.Equal(t, []goal.Period{
		wantPeriod(goal.Quarter, "2026-01-15", "2026-02-01", "FY2026-Q4"),
		wantPeriod(goal.Quarter, "2026-02-01", "2026-05-01", "FY2027-Q1"),
		wantPeriod(goal.Quarter, "2026-05-01", "2026-05-10", "FY2027-Q2"),
	}, quarters)

	for _, year := range []string{"2026", "2024", "2100"} {
		y, _ := iso.Parse(year)
		months, err := iso.Split(y, goal.Month)
		require.NoError(t, err)
		require.Len(t, months, 12)
		days, _ := iso.Split(y, goal.Day)
		require.Len(t, days, y.Days())
		sum := 0
		for i, m := range months {
			sum += m.Days()
			require.Equal(t, goal.Month, m.Grain)
			if i > 0 {
				require.Equal(t, months[i-1].End, m.Start)
			}
		}
		require.Equal(t, y.Days(), sum, year)
	}
	y2026, _ := iso.Parse("2026")
	require.Equal(t, 365, y2026.Days())

	w, _ := iso.Parse("2026-W10")
	days, err := iso.Split(w, goal.Day)
	require.NoError(t, err)
	require.Len(t, days, 7)
	require.Equal(t, "2026-03-02", days[0].Label)
	same, err := iso.Split(w, goal.Week)
	require.NoError(t, err)
	require.Equal(t, []goal.Period{w}, same)
}

func TestSplitRejects(t *testing.T) {
	c := newCal(t, nil)
	march, _ := c.Parse("2026-03")
	w, _ := c.Parse("2026-W10")
	_, err := c.Split(march, goal.Quarter)
	requireInvalid(t, err, "grain", "cannot split a month into quarters")
	_, err = c.Split(w, goal.Month)
	requireInvalid(t, err, "grain", "cannot split a week into months")
	_, err = c.Split(march, goal.Range)
	requireInvalid(t, err, "grain")
	_, err = c.Split(march, goal.Year+1)
	requireInvalid(t, err, "grain")
	_, err = c.Split(goal.Period{}, goal.Day)
	requireInvalid(t, err, "period", "empty")
}

// Property: Split tiles the period: consecutive, non-empty, within it, each
// piece inside the period PeriodOf gives for its start.
func TestSplitTiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for name, cfg := range allConfigs {
		c := newCal(t, cfg)
		for range 80 {
			start := randomDate(rng)
			p, err := goal.NewRange(start, start+date.Date(1+rng.IntN(400)))
			require.NoError(t, err)
			if rng.IntN(2) == 0 {
				p, err = c.PeriodOf(calendarGrains[rng.IntN(len(calendarGrains))], start)
				require.NoError(t, err)
			}
			for _, g := range calendarGrains {
				parts, err := c.Split(p, g)
				if p.Grain != goal.Range && g > p.Grain {
					require.Error(t, err)
					continue
				}
				require.NoError(t, err)
				at := p.Start
				for _, q := range parts {
					whole, _ := c.PeriodOf(g, q.Start)
					if q.Start != at || q.End <= q.Start || q.Grain != g || !whole.Covers(q) || q.Label != whole.Label && p.Grain == goal.Range {
						t.Fatalf("%s: split %v into %s: piece %+v after %s (whole %+v)", name, p, g, q, at, whole)
					}
					at = q.End
				}
				require.Equal(t, p.End, at, "%s: split %v into %s", name, p, g)
			}
		}
	}
}

func TestNextPrev(t *testing.T) {
	iso := newCal(t, nil)
	april := newCal(t, aprilByEnd)
	feb := newCal(t, febSunday)
	sunday := newCal(t, janSunday)
	tests := []struct {
		name       string
		c          *goal.Calendar
		label      string
		prev, next string
	}{
		{"month across New Year", iso, "2026-12", "2026-11", "2027-01"},
		{"January", iso, "2026-01", "2025-12", "2026-02"},
		{"day across New Year", iso, "2026-12-31", "2026-12-30", "2027-01-01"},
		{"leap day", iso, "2024-02-29", "2024-02-28", "2024-03-01"},
		{"ISO week 53", iso, "2026-W53", "2026-W52", "2027-W01"},
		{"ISO week 1", iso, "2021-W01", "2020-W53", "2021-W02"},
		{"Sunday week 1", sunday, "2026-W01", "2025-W52", "2026-W02"},
		{"quarter", iso, "2026-Q4", "2026-Q3", "2027-Q1"},
		{"half", iso, "2026-H2", "2026-H1", "2027-H1"},
		{"year", iso, "2026", "2025", "2027"},
		{"fiscal quarter", april, "FY2026-Q4", "FY2026-Q3", "FY2027-Q1"},
		{"fiscal half", april, "FY2026-H1", "FY2025-H2", "FY2026-H2"},
		{"fiscal year", april, "FY2026", "FY2025", "FY2027"},
		{"calendar quarter on a fiscal calendar", feb, "2026-Q1", "2025-Q4", "2026-Q2"},
		{"calendar year on a fiscal calendar", feb, "2026", "2025", "2027"},
		{"range", iso, "[2026-01-01,2026-01-11)", "[2025-12-22,2026-01-01)", "[2026-01-11,2026-01-21)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.c.Parse(tc.label)
			require.NoError(t, err)
			require.Equal(t, tc.next, tc.c.Next(p).Label)
			require.Equal(t, tc.prev, tc.c.Prev(p).Label)
			require.Equal(t, p.End, tc.c.Next(p).Start)
			require.Equal(t, p.Start, tc.c.Prev(p).End)
			require.Equal(t, p, tc.c.Prev(tc.c.Next(p)))
			require.Equal(t, p, tc.c.Next(tc.c.Prev(p)))
		})
	}
}

// Next and Prev of a period clipped by Split step from the whole period it
// was cut from and never overlap it.
func TestNextPrevOfClippedPeriods(t *testing.T) {
	c := newCal(t, nil)
	march, _ := c.Parse("2026-03")
	weeks, _ := c.Split(march, goal.Week)
	first, last := weeks[0], weeks[len(weeks)-1]
	require.Equal(t, wantPeriod(goal.Week, "2026-02-16", "2026-02-23", "2026-W08"), c.Prev(first))
	require.Equal(t, wantPeriod(goal.Week, "2026-03-02", "2026-03-09", "2026-W10"), c.Next(first))
	require.Equal(t, wantPeriod(goal.Week, "2026-03-23", "2026-03-30", "2026-W13"), c.Prev(last))
	require.Equal(t, wantPeriod(goal.Week, "2026-04-06", "2026-04-13", "2026-W15"), c.Next(last))
	for _, w := range weeks {
		require.False(t, c.Next(w).Overlaps(w))
		require.False(t, c.Prev(w).Overlaps(w))
	}
}

// Property: Next starts where p ends, Prev ends where p starts, and they
// undo each other, for every grain and calendar.
func TestNextPrevProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for name, cfg := range allConfigs {
		c := newCal(t, cfg)
		for range 400 {
			d := randomDate(rng)
			for _, g := range calendarGrains {
				p, _ := c.PeriodOf(g, d)
				n, q := c.Next(p), c.Prev(p)
				if n.Start != p.End || q.End != p.Start || n.Grain != g || q.Grain != g || c.Prev(n) != p || c.Next(q) != p {
					t.Fatalf("%s: %+v has next %+v and previous %+v", name, p, n, q)
				}
			}
		}
	}
}

func BenchmarkSplitYearIntoDays(b *testing.B) {
	c := newCal(b, aprilByEnd)
	fy, _ := c.Parse("FY2026")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Split(fy, goal.Day); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPeriodOf(b *testing.B) {
	c := newCal(b, aprilByEnd)
	d := ymd("2026-03-15")
	b.ReportAllocs()
	for b.Loop() {
		for _, g := range calendarGrains {
			if _, err := c.PeriodOf(g, d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkWorkingDays(b *testing.B) {
	cfg := &goal.CalendarConfig{}
	for i := range 2000 { // ~40 years of holidays and make-up days
		cfg.Holidays = append(cfg.Holidays, ymd("2000-01-03")+date.Date(i*7))
		cfg.MakeupDays = append(cfg.MakeupDays, ymd("2000-01-08")+date.Date(i*7))
	}
	c := newCal(b, cfg)
	start, end := ymd("2001-02-03"), ymd("2031-07-09")
	b.ReportAllocs()
	for b.Loop() {
		if c.WorkingDays(start, end) == 0 {
			b.Fatal("no working days")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	c := newCal(b, aprilByEnd)
	labels := []string{"FY2026", "FY2026-H1", "2026-Q3", "2026-03", "2026-W09", "2026-03-15", "[2026-01-01,2026-02-01)"}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range labels {
			if _, err := c.Parse(l); err != nil {
				b.Fatal(err)
			}
		}
	}
}
