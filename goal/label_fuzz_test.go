package goal_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// FuzzParse checks, on calendars of every kind, that Parse never panics and
// that what it accepts is a non-empty period whose label parses back to it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2026", "FY2026", "2026-H1", "FY2026-H1", "FY2026-H2", "2026-Q3", "FY2026-Q4",
		"2026-03", "2026-12", "2026-W09", "2026-W53", "2027-W52", "2026-03-15", "2024-02-29",
		"[2026-01-01,2026-02-01)", "0001", "FY0001", "9999-12-31", "FY9999-Q4", "9999-W52",
		"", "FY", "2026-W", "2026-H", "[", "[,)", "2026-02-30",
	} {
		f.Add(s)
	}
	cals := []*goal.Calendar{}
	for _, cfg := range []*goal.CalendarConfig{
		nil,
		{FiscalYearStart: time.April},
		{FiscalYearStart: time.October, FiscalYearNamedByStart: true, Weeks: goal.FirstDayWeeks, WeekStart: time.Sunday},
		{FiscalYearStart: time.February, Weeks: goal.FirstDayWeeks, WeekStart: time.Saturday},
	} {
		c, err := goal.NewCalendar(cfg)
		if err != nil {
			f.Fatal(err)
		}
		cals = append(cals, c)
	}
	f.Fuzz(func(t *testing.T, label string) {
		for i, c := range cals {
			p, err := c.Parse(label)
			if err != nil {
				if !p.IsZero() {
					t.Fatalf("calendar %d: Parse(%q) failed with a non-zero period %+v", i, label, p)
				}
				continue
			}
			if p.End <= p.Start {
				t.Fatalf("calendar %d: Parse(%q) = %+v is empty", i, label, p)
			}
			q, err := c.Parse(p.Label)
			if err != nil || q != p {
				t.Fatalf("calendar %d: Parse(%q) = %+v, but Parse(%q) = %+v, %v", i, label, p, p.Label, q, err)
			}
			if p.Grain != goal.Range {
				whole, err := c.PeriodOf(p.Grain, p.Start)
				if err != nil {
					t.Fatal(err)
				}
				// Calendar-year periods on a fiscal calendar differ from the
				// fiscal ones PeriodOf returns; all others must agree.
				if whole != p && (p.Grain < goal.Quarter || p.Label[:2] == "FY") {
					t.Fatalf("calendar %d: Parse(%q) = %+v, but PeriodOf gives %+v", i, label, p, whole)
				}
			}
		}
	})
}
