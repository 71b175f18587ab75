package goal

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickb777/date/v2"
)

// WeekNumbering says how weeks start and how they are numbered in labels.
type WeekNumbering uint8

const (
	// ISOWeeks is the zero value: ISO 8601 weeks start on Monday and week 1
	// is the week with the year's first Thursday, so a year has 52 or 53 weeks
	// and a week belongs wholly to one week-year.
	ISOWeeks WeekNumbering = iota
	// FirstDayWeeks start on CalendarConfig.WeekStart; week 1 is the week
	// that holds 1 January, so a week that spans New Year belongs to the new
	// year.
	FirstDayWeeks
)

// CalendarConfig configures a Calendar. The zero value is the Gregorian
// calendar year, ISO weeks, a Monday-to-Friday working week and no holidays.
type CalendarConfig struct {
	// FiscalYearStart is the month the (fiscal) year starts in; zero means
	// January. Years, halves and quarters follow it.
	FiscalYearStart time.Month
	// FiscalYearNamedByStart names a fiscal year by the calendar year it
	// starts in. By default it is named by the year it ends in (a fiscal year
	// that starts on 1 April 2025 is FY2026). Irrelevant when the fiscal year
	// starts in January.
	FiscalYearNamedByStart bool
	// Weeks selects ISO weeks (the default) or weeks starting on WeekStart.
	Weeks WeekNumbering
	// WeekStart is the first day of a week with FirstDayWeeks; ignored for
	// ISO weeks, which start on Monday.
	WeekStart time.Weekday
	// Workweek lists the weekdays that are working days; nil means Monday to
	// Friday. A non-nil empty list is an error: a calendar needs at least
	// one working weekday.
	Workweek []time.Weekday
	// Holidays are days off that would otherwise be working days (public
	// holidays). A holiday on a day that is off anyway changes nothing.
	Holidays []date.Date
	// MakeupDays are working days on days that are otherwise off, such as the
	// weekend days China's 调休 turns into working days. A make-up day on a
	// working weekday changes nothing; a day listed both as a holiday and as
	// a make-up day is an error. Duplicates and order do not matter.
	MakeupDays []date.Date
}

// Calendar turns dates into periods and counts working days. It is immutable
// and safe for concurrent use. Build one with NewCalendar; the zero Calendar
// is not usable.
type Calendar struct {
	fyStart     time.Month
	fyByStart   bool
	weeks       WeekNumbering
	weekStart   time.Weekday
	work        [7]bool
	workPerWeek int
	holidays    []date.Date // sorted, each on a workweek day
	makeup      []date.Date // sorted, each on a day off
	// civil is this calendar with years starting in January: the arithmetic
	// of the calendar years, halves and quarters that labels without "FY"
	// name. It is c itself when the fiscal year starts in January.
	civil *Calendar
}

// NewCalendar validates cfg and returns a Calendar. A nil cfg means the
// defaults described on CalendarConfig.
func NewCalendar(cfg *CalendarConfig) (*Calendar, error) {
	if cfg == nil {
		cfg = &CalendarConfig{}
	}
	c := &Calendar{fyStart: cfg.FiscalYearStart, fyByStart: cfg.FiscalYearNamedByStart, weeks: cfg.Weeks, weekStart: cfg.WeekStart}
	if c.fyStart == 0 {
		c.fyStart = time.January
	}
	if c.fyStart < time.January || c.fyStart > time.December {
		return nil, invalid("fiscal year start", fmt.Sprint(int(cfg.FiscalYearStart)), "give a month from time.January to time.December")
	}
	if c.weeks > FirstDayWeeks {
		return nil, invalid("week numbering", fmt.Sprint(cfg.Weeks), "use goal.ISOWeeks or goal.FirstDayWeeks")
	}
	if c.weeks == ISOWeeks {
		c.weekStart = time.Monday
	} else if c.weekStart < time.Sunday || c.weekStart > time.Saturday {
		return nil, invalid("week start", fmt.Sprint(int(cfg.WeekStart)), "give a weekday from time.Sunday to time.Saturday")
	}
	workweek := cfg.Workweek
	if workweek == nil {
		workweek = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	for _, wd := range workweek {
		if wd < time.Sunday || wd > time.Saturday {
			return nil, invalid("workweek", fmt.Sprint(int(wd)), "give weekdays from time.Sunday to time.Saturday")
		}
		if !c.work[wd] {
			c.work[wd] = true
			c.workPerWeek++
		}
	}
	if c.workPerWeek == 0 {
		return nil, invalid("workweek", "", "a calendar needs at least one working weekday")
	}
	holidays := make(map[date.Date]bool, len(cfg.Holidays))
	for _, d := range cfg.Holidays {
		holidays[d] = true
		if c.work[d.Weekday()] {
			c.holidays = append(c.holidays, d)
		}
	}
	for _, d := range cfg.MakeupDays {
		if holidays[d] {
			return nil, invalid("make-up day", d.String(), "the day is also listed as a holiday; list it in one place only")
		}
		if !c.work[d.Weekday()] {
			c.makeup = append(c.makeup, d)
		}
	}
	slices.Sort(c.holidays)
	c.holidays = slices.Compact(c.holidays)
	slices.Sort(c.makeup)
	c.makeup = slices.Compact(c.makeup)
	c.civil = c
	if c.fyStart != time.January {
		civil := *c
		civil.fyStart, civil.fyByStart = time.January, false
		civil.civil = &civil
		c.civil = &civil
	}
	return c, nil
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d date.Date) bool {
	if c.work[d.Weekday()] {
		_, holiday := slices.BinarySearch(c.holidays, d)
		return !holiday
	}
	_, makeup := slices.BinarySearch(c.makeup, d)
	return makeup
}

// WorkingDays counts the working days in [start, end); zero when end is not
// after start. It runs in O(log h) for h holidays and make-up days.
func (c *Calendar) WorkingDays(start, end date.Date) int {
	if end <= start {
		return 0
	}
	n := int(end - start)
	count := n / 7 * c.workPerWeek
	for d := start + date.Date(n/7*7); d < end; d++ {
		if c.work[d.Weekday()] {
			count++
		}
	}
	return count - countIn(c.holidays, start, end) + countIn(c.makeup, start, end)
}

// countIn counts the elements of the sorted slice s in [start, end).
func countIn(s []date.Date, start, end date.Date) int {
	i, _ := slices.BinarySearch(s, start)
	j, _ := slices.BinarySearch(s, end)
	return j - i
}

// PeriodOf returns the period of grain g that holds d. Years, halves and
// quarters follow the fiscal year; weeks follow the week numbering. It fails
// for the Range grain and unknown grains.
func (c *Calendar) PeriodOf(g Grain, d date.Date) (Period, error) {
	if g < Day || g > Year {
		return Period{}, invalid("grain", g.String(), "use one of goal.Day, Week, Month, Quarter, Half or Year")
	}
	return c.periodOf(g, d), nil
}

func (c *Calendar) periodOf(g Grain, d date.Date) Period {
	year, month, day := d.Date()
	var buf [16]byte
	switch g {
	case Day:
		if year < 0 || year > 9999 {
			return Period{Grain: Day, Start: d, End: d + 1, Label: d.String()}
		}
		b := append(appendNum(buf[:0], year, 4), '-')
		b = append(appendNum(b, int(month), 2), '-')
		return Period{Grain: Day, Start: d, End: d + 1, Label: string(appendNum(b, day, 2))}
	case Week:
		return c.weekOf(d)
	case Month:
		start := d - date.Date(day-1)
		b := append(appendNum(buf[:0], year, 4), '-')
		return Period{Grain: Month, Start: start, End: addMonths(start, 1), Label: string(appendNum(b, int(month), 2))}
	}
	// Year, half and quarter: months counted from the fiscal year's start.
	startYear := year
	if month < c.fyStart {
		startYear--
	}
	fyStart := date.New(startYear, c.fyStart, 1)
	offset := (int(month) - int(c.fyStart) + 12) % 12
	b := c.appendYearLabel(buf[:0], startYear)
	switch g {
	case Half:
		start := addMonths(fyStart, offset/6*6)
		b = append(b, '-', 'H', byte('1'+offset/6))
		return Period{Grain: Half, Start: start, End: addMonths(start, 6), Label: string(b)}
	case Quarter:
		start := addMonths(fyStart, offset/3*3)
		b = append(b, '-', 'Q', byte('1'+offset/3))
		return Period{Grain: Quarter, Start: start, End: addMonths(start, 3), Label: string(b)}
	}
	return Period{Grain: Year, Start: fyStart, End: addMonths(fyStart, 12), Label: string(b)}
}

// appendYearLabel appends the name of the year that starts in startYear:
// "2026" for calendar years, "FY2026" for fiscal ones.
func (c *Calendar) appendYearLabel(b []byte, startYear int) []byte {
	switch {
	case c.fyStart == time.January:
		return appendNum(b, startYear, 4)
	case c.fyByStart:
		return appendNum(append(b, "FY"...), startYear, 4)
	}
	return appendNum(append(b, "FY"...), startYear+1, 4)
}

// appendNum appends n zero-padded to width digits, as fmt's %0*d does.
func appendNum(b []byte, n, width int) []byte {
	switch {
	case width == 2 && n >= 0 && n < 100:
		return append(b, byte('0'+n/10), byte('0'+n%10))
	case width == 4 && n >= 0 && n < 10000:
		return append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
	}
	return fmt.Appendf(b, "%0*d", width, n)
}

func (c *Calendar) weekOf(d date.Date) Period {
	start := d - date.Date((int(d.Weekday())-int(c.weekStart)+7)%7)
	var year, week int
	if c.weeks == ISOWeeks {
		year, week = d.ISOWeek()
	} else {
		year = (start + 6).Year()
		week = int(start-c.firstWeekStart(year))/7 + 1
	}
	var buf [16]byte
	b := append(appendNum(buf[:0], year, 4), '-', 'W')
	return Period{Grain: Week, Start: start, End: start + 7, Label: string(appendNum(b, week, 2))}
}

// firstWeekStart returns the first day of week 1 of year.
func (c *Calendar) firstWeekStart(year int) date.Date {
	if c.weeks == ISOWeeks {
		jan4 := date.New(year, time.January, 4)
		return jan4 - date.Date((int(jan4.Weekday())+6)%7)
	}
	jan1 := date.New(year, time.January, 1)
	return jan1 - date.Date((int(jan1.Weekday())-int(c.weekStart)+7)%7)
}

// WeeksIn returns the number of weeks in the week-year: 52 or 53.
func (c *Calendar) WeeksIn(year int) int {
	return int(c.firstWeekStart(year+1)-c.firstWeekStart(year)) / 7
}

// addMonths returns the first of the month k months after the month of d,
// which must itself be a first of the month.
func addMonths(d date.Date, k int) date.Date {
	m := d.Year()*12 + int(d.Month()) - 1 + k
	return date.New(m/12, time.Month(m%12+1), 1)
}

// yearsOf returns the calendar whose years, halves and quarters p follows.
// On a calendar whose fiscal year does not start in January, a year, half or
// quarter labelled without "FY" (as Parse returns for "2026" or "2026-Q1") is
// a calendar one; every other period follows the fiscal year.
func (c *Calendar) yearsOf(p Period) *Calendar {
	if c.civil == c || c.civil == nil || p.Grain < Quarter || p.Grain > Year || strings.HasPrefix(p.Label, "FY") {
		return c
	}
	if p.Label == "" && c.periodOf(p.Grain, p.Start).Start == p.Start {
		return c // built by hand without a label, aligned to the fiscal year
	}
	return c.civil
}

// minDays is the fewest days a period of each grain has.
var minDays = [...]int{Day: 1, Week: 7, Month: 28, Quarter: 89, Half: 181, Year: 365}

// Split cuts p into consecutive periods of the finer (or equal) grain g,
// clipping the first and last to p when they stick out: a month split into
// weeks starts and ends with partial weeks. A clipped period keeps the label
// of the whole period it was cut from. Fiscal years, halves and quarters split
// into fiscal halves and quarters, calendar ones (labelled without "FY") into
// calendar ones, and ranges into the calendar's fiscal ones. It fails when g
// is coarser than p's grain or is not a calendar grain, or p is empty.
func (c *Calendar) Split(p Period, g Grain) ([]Period, error) {
	if g < Day || g > Year {
		return nil, invalid("grain", g.String(), "split into goal.Day, Week, Month, Quarter, Half or Year")
	}
	if p.End <= p.Start {
		return nil, invalid("period", p.Label, "the period is empty; build periods with a Calendar or goal.NewRange")
	}
	if p.Grain != Range && g > p.Grain {
		return nil, invalid("grain", g.String(), "cannot split a %s into %ss; split into a finer grain", p.Grain, g)
	}
	k := c.yearsOf(p)
	out := make([]Period, 0, p.Days()/minDays[g]+2)
	for d := p.Start; d < p.End; {
		q := k.periodOf(g, d)
		d = q.End
		q.Start = max(q.Start, p.Start)
		q.End = min(q.End, p.End)
		out = append(out, q)
	}
	return out, nil
}

// Next returns the period of the same grain that follows p; for a Range, the
// range of the same length that starts at p.End. For a period clipped by
// Split it returns the period after the whole one p was cut from, so Next
// never overlaps p.
func (c *Calendar) Next(p Period) Period {
	if p.Grain < Day || p.Grain > Year {
		n := p.End - p.Start
		return Period{Grain: Range, Start: p.End, End: p.End + n, Label: rangeLabel(p.End, p.End+n)}
	}
	k := c.yearsOf(p)
	whole := k.periodOf(p.Grain, p.End-1)
	return k.periodOf(p.Grain, whole.End)
}

// Prev returns the period of the same grain that precedes p; for a Range,
// the range of the same length that ends at p.Start. For a period clipped by
// Split it returns the period before the whole one p was cut from, so Prev
// never overlaps p.
func (c *Calendar) Prev(p Period) Period {
	if p.Grain < Day || p.Grain > Year {
		n := p.End - p.Start
		return Period{Grain: Range, Start: p.Start - n, End: p.Start, Label: rangeLabel(p.Start-n, p.Start)}
	}
	k := c.yearsOf(p)
	whole := k.periodOf(p.Grain, p.Start)
	return k.periodOf(p.Grain, whole.Start-1)
}
