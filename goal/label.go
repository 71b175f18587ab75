package goal

import (
	"strings"
	"time"

	"github.com/rickb777/date/v2"
)

const labelForms = "accepted forms are 2026, FY2026, 2026-H1, FY2026-H1, 2026-Q3, FY2026-Q3, 2026-03, 2026-W09, 2026-03-15 and [2026-01-01,2026-02-01), with years 0001 to 9999"

// Parse turns a period label back into its period. Labels without the "FY"
// prefix name calendar years, halves and quarters; labels with it name the
// calendar's fiscal ones (for a calendar whose year starts in January the two
// coincide and the label is printed without "FY"). Weeks are numbered by the
// calendar's week numbering. Parse(p.Label) returns p for every period the
// calendar produces in years 0001 to 9999, except periods clipped by Split.
// Labels are strict: no spaces, upper-case "FY", "H", "Q" and "W", two-digit
// months, weeks and days. An error matches ErrInvalid, is a
// *ValidationError, and lists the accepted forms.
func (c *Calendar) Parse(label string) (Period, error) {
	bad := func(reason string) (Period, error) {
		return Period{}, invalid("period label", label, "%s; %s", reason, labelForms)
	}
	if strings.HasPrefix(label, "[") {
		p, reason := parseRange(label)
		if reason != "" {
			return bad(reason)
		}
		return p, nil
	}
	s, fiscal := strings.CutPrefix(label, "FY")
	if len(s) < 4 {
		return bad("a label starts with a four-digit year")
	}
	year, ok := digits(s[:4])
	if !ok || year < 1 {
		return bad("a label starts with a four-digit year from 0001 to 9999")
	}
	rest := s[4:]
	yc := c // year, half and quarter arithmetic of the labelled kind
	startYear := year
	if fiscal {
		if c.fyStart != time.January && !c.fyByStart {
			startYear--
		}
	} else if c.civil != nil {
		yc = c.civil
	}
	fyStart := date.New(startYear, yc.fyStart, 1)
	switch {
	case rest == "":
		return yc.periodOf(Year, fyStart), nil
	case strings.HasPrefix(rest, "-H"):
		if len(rest) != 3 || (rest[2] != '1' && rest[2] != '2') {
			return bad("a half is H1 or H2")
		}
		return yc.periodOf(Half, addMonths(fyStart, 6*int(rest[2]-'1'))), nil
	case strings.HasPrefix(rest, "-Q"):
		if len(rest) != 3 || rest[2] < '1' || rest[2] > '4' {
			return bad("a quarter is Q1, Q2, Q3 or Q4")
		}
		return yc.periodOf(Quarter, addMonths(fyStart, 3*int(rest[2]-'1'))), nil
	case fiscal:
		return bad("only years, halves and quarters take the FY prefix")
	case strings.HasPrefix(rest, "-W"):
		n := c.WeeksIn(year)
		week, ok := digits(rest[2:])
		if len(rest) != 4 || !ok || week < 1 || week > n {
			return bad("week-year " + s[:4] + " has weeks W01 to W" + string(appendNum(nil, n, 2)))
		}
		return c.weekOf(c.firstWeekStart(year) + date.Date(7*(week-1))), nil
	case len(rest) == 3 && rest[0] == '-':
		month, ok := digits(rest[1:])
		if !ok || month < 1 || month > 12 {
			return bad("a month is 01 to 12")
		}
		return c.periodOf(Month, date.New(year, time.Month(month), 1)), nil
	case len(rest) == 6 && rest[0] == '-' && rest[3] == '-':
		d, ok := parseDay(s)
		if !ok {
			return bad(dayForm)
		}
		return c.periodOf(Day, d), nil
	}
	return bad("the label has none of the accepted forms")
}

// parseRange parses "[start,end)"; on failure it returns why.
func parseRange(label string) (Period, string) {
	inner, ok := strings.CutPrefix(label, "[")
	if ok {
		inner, ok = strings.CutSuffix(inner, ")")
	}
	a, b, comma := strings.Cut(inner, ",")
	if !ok || !comma {
		return Period{}, "a range is written [start,end) with ISO dates, e.g. [2026-01-01,2026-02-01)"
	}
	start, ok := parseDay(a)
	if !ok {
		return Period{}, "the range's start: " + dayForm
	}
	end, ok := parseDay(b)
	if !ok {
		return Period{}, "the range's end: " + dayForm
	}
	if end <= start {
		return Period{}, "the range's end must be after its start (ranges are half-open)"
	}
	return Period{Grain: Range, Start: start, End: end, Label: rangeLabel(start, end)}, ""
}

const dayForm = "a day is written YYYY-MM-DD and must exist in the calendar"

// parseDay parses a strict YYYY-MM-DD date, years 0001 to 9999, and rejects
// days that do not exist.
func parseDay(s string) (date.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	day := date.New(y, time.Month(m), d)
	if day.Day() != d {
		return 0, false
	}
	return day, true
}

// digits parses a non-empty run of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
