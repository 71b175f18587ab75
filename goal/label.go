package goal

import (
	"strings"
	"time"

	"github.com/rickb777/date/v2"
)

const labelForms = "use one of the forms 2026, FY2026, 2026-H1, FY2026-H1, 2026-Q3, FY2026-Q3, 2026-03, 2026-W09, 2026-03-15 or [2026-01-01,2026-02-01)"

// Parse turns a period label back into its period. Labels without the "FY"
// prefix name calendar years, halves and quarters; labels with it name the
// calendar's fiscal ones (for a calendar whose year starts in January the two
// coincide and the label is printed without "FY"). Weeks are numbered by the
// calendar's week numbering. Parse(p.Label) returns p for every period the
// calendar produces, except periods clipped by Split.
func (c *Calendar) Parse(label string) (Period, error) {
	bad := func(reason string) (Period, error) {
		return Period{}, invalid("period label", label, "%s", reason)
	}
	if strings.HasPrefix(label, "[") {
		return parseRange(label)
	}
	s, fiscal := strings.CutPrefix(label, "FY")
	if len(s) < 4 {
		return bad(labelForms)
	}
	year, ok := digits(s[:4])
	if !ok || year < 1 {
		return bad("the year must be four digits from 0001 to 9999; " + labelForms)
	}
	rest := s[4:]
	yc := c // year, half and quarter arithmetic of the labelled kind
	startYear := year
	if fiscal {
		if c.fyStart != time.January && !c.fyByStart {
			startYear--
		}
	} else if c.fyStart != time.January {
		yc = &Calendar{fyStart: time.January}
	}
	fyStart := date.New(startYear, yc.fyStart, 1)
	switch {
	case rest == "":
		return yc.periodOf(Year, fyStart), nil
	case len(rest) == 3 && rest[:2] == "-H" && (rest[2] == '1' || rest[2] == '2'):
		return yc.periodOf(Half, addMonths(fyStart, 6*int(rest[2]-'1'))), nil
	case len(rest) == 3 && rest[:2] == "-Q" && rest[2] >= '1' && rest[2] <= '4':
		return yc.periodOf(Quarter, addMonths(fyStart, 3*int(rest[2]-'1'))), nil
	case fiscal:
		return bad("only years, halves and quarters take the FY prefix; " + labelForms)
	case len(rest) == 4 && rest[:2] == "-W":
		week, ok := digits(rest[2:])
		if !ok || week < 1 || week > c.WeeksIn(year) {
			return bad("week-year " + s[:4] + " has weeks W01 to W" + twoDigits(c.WeeksIn(year)))
		}
		return c.weekOf(c.firstWeekStart(year) + date.Date(7*(week-1))), nil
	case len(rest) == 3 && rest[0] == '-':
		month, ok := digits(rest[1:])
		if !ok || month < 1 || month > 12 {
			return bad("the month must be 01 to 12")
		}
		return c.periodOf(Month, date.New(year, time.Month(month), 1)), nil
	case len(rest) == 6 && rest[0] == '-' && rest[3] == '-':
		d, err := parseDay(s)
		if err != nil {
			return bad(err.Error())
		}
		return c.periodOf(Day, d), nil
	}
	return bad(labelForms)
}

func parseRange(label string) (Period, error) {
	inner, ok := strings.CutPrefix(label, "[")
	if ok {
		inner, ok = strings.CutSuffix(inner, ")")
	}
	a, b, comma := strings.Cut(inner, ",")
	if !ok || !comma {
		return Period{}, invalid("period label", label, "a range is written [start,end) with ISO dates, e.g. [2026-01-01,2026-02-01)")
	}
	start, err := parseDay(a)
	if err != nil {
		return Period{}, invalid("period label", label, "start: %v", err)
	}
	end, err := parseDay(b)
	if err != nil {
		return Period{}, invalid("period label", label, "end: %v", err)
	}
	return NewRange(start, end)
}

// parseDay parses a strict YYYY-MM-DD date and rejects days that do not exist.
func parseDay(s string) (date.Date, error) {
	const msg = "a day is written YYYY-MM-DD and must exist in the calendar"
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, errorString(msg)
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 {
		return 0, errorString(msg)
	}
	day := date.New(y, time.Month(m), d)
	if day.Day() != d {
		return 0, errorString(msg)
	}
	return day, nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

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

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
