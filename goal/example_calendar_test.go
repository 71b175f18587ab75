package goal_test

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/goalkit/goalkit/goal"
)

// Working days in October 2025 under China's public holidays: National Day
// and Mid-Autumn Festival are off from 1 to 8 October, and Sunday 28
// September and Saturday 11 October are worked in exchange (调休).
func ExampleCalendar_WorkingDays() {
	var holidays []date.Date
	for d := date.New(2025, time.October, 1); d <= date.New(2025, time.October, 8); d++ {
		holidays = append(holidays, d)
	}
	cal, err := goal.NewCalendar(&goal.CalendarConfig{
		Holidays:   holidays,
		MakeupDays: []date.Date{date.New(2025, time.September, 28), date.New(2025, time.October, 11)},
	})
	if err != nil {
		panic(err)
	}
	october, _ := cal.Parse("2025-10")
	fmt.Println(october, "has", october.Days(), "days and", cal.WorkingDays(october.Start, october.End), "working days")
	for _, s := range []string{"2025-10-08", "2025-10-09", "2025-10-11", "2025-10-12"} {
		d := date.MustParseISO(s)
		fmt.Println(d, d.Weekday(), "working:", cal.IsWorkingDay(d))
	}
	// Output:
	// 2025-10 has 31 days and 18 working days
	// 2025-10-08 Wednesday working: false
	// 2025-10-09 Thursday working: true
	// 2025-10-11 Saturday working: true
	// 2025-10-12 Sunday working: false
}

// A fiscal year that starts in April and is named by the year it ends in:
// 20 November 2025 falls in FY2026, which splits into four quarters.
func ExampleCalendar_Split() {
	cal, err := goal.NewCalendar(&goal.CalendarConfig{FiscalYearStart: time.April})
	if err != nil {
		panic(err)
	}
	fy, _ := cal.PeriodOf(goal.Year, date.New(2025, time.November, 20))
	fmt.Printf("%s [%s, %s)\n", fy, fy.Start, fy.End)
	quarters, _ := cal.Split(fy, goal.Quarter)
	for _, q := range quarters {
		fmt.Printf("  %s [%s, %s) %d working days\n", q, q.Start, q.End, cal.WorkingDays(q.Start, q.End))
	}
	// A month splits into ISO weeks; the partial weeks at either end are
	// clipped to the month and keep their week's label.
	march, _ := cal.Parse("2026-03")
	weeks, _ := cal.Split(march, goal.Week)
	for _, w := range weeks {
		fmt.Printf("  %s [%s, %s) %d days\n", w, w.Start, w.End, w.Days())
	}
	// Output:
	// FY2026 [2025-04-01, 2026-04-01)
	//   FY2026-Q1 [2025-04-01, 2025-07-01) 65 working days
	//   FY2026-Q2 [2025-07-01, 2025-10-01) 66 working days
	//   FY2026-Q3 [2025-10-01, 2026-01-01) 66 working days
	//   FY2026-Q4 [2026-01-01, 2026-04-01) 64 working days
	//   2026-W09 [2026-03-01, 2026-03-02) 1 days
	//   2026-W10 [2026-03-02, 2026-03-09) 7 days
	//   2026-W11 [2026-03-09, 2026-03-16) 7 days
	//   2026-W12 [2026-03-16, 2026-03-23) 7 days
	//   2026-W13 [2026-03-23, 2026-03-30) 7 days
	//   2026-W14 [2026-03-30, 2026-04-01) 2 days
}

// Labels parse back into periods. On a calendar whose fiscal year starts in
// April, "FY" labels name fiscal periods and labels without it calendar ones.
func ExampleCalendar_Parse() {
	cal, err := goal.NewCalendar(&goal.CalendarConfig{FiscalYearStart: time.April})
	if err != nil {
		panic(err)
	}
	for _, label := range []string{"FY2026", "FY2026-H2", "2026-Q3", "2026-03", "2026-W09", "2026-03-15", "[2026-01-01,2026-02-01)"} {
		p, err := cal.Parse(label)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-24s %-7s [%s, %s) %3d days\n", label, p.Grain, p.Start, p.End, p.Days())
	}
	_, err = cal.Parse("2026-Q5")
	fmt.Println(err)
	// Output:
	// FY2026                   year    [2025-04-01, 2026-04-01) 365 days
	// FY2026-H2                half    [2025-10-01, 2026-04-01) 182 days
	// 2026-Q3                  quarter [2026-07-01, 2026-10-01)  92 days
	// 2026-03                  month   [2026-03-01, 2026-04-01)  31 days
	// 2026-W09                 week    [2026-02-23, 2026-03-02)   7 days
	// 2026-03-15               day     [2026-03-15, 2026-03-16)   1 days
	// [2026-01-01,2026-02-01)  range   [2026-01-01, 2026-02-01)  31 days
	// goal: invalid period label "2026-Q5": a quarter is Q1, Q2, Q3 or Q4; accepted forms are 2026, FY2026, 2026-H1, FY2026-H1, 2026-Q3, FY2026-Q3, 2026-03, 2026-W09, 2026-03-15 and [2026-01-01,2026-02-01), with years 0001 to 9999
}
