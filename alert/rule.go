package alert

import (
	"math"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// The default rule names, used when a rule's Name is empty.
const (
	RulePace           = "pace"
	RuleLinearPace     = "linear_pace"
	RuleProjectedMiss  = "projected_miss"
	RuleConversionDrop = "conversion_drop"
	RuleVolumeDrop     = "volume_drop"
	RuleStagnation     = "stagnation"
)

// LabelStage is the extra label naming a funnel stage, set by ConversionDropRule (when the
// input names a stage) and StagnationRule.
const LabelStage = "stage"

// ruleName returns name, or def when name is empty.
func ruleName(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

// zForAlpha returns the one-sided standard normal quantile z with P(Z > z) = alpha.
func zForAlpha(alpha float64) float64 {
	return math.Sqrt2 * math.Erfinv(1-2*alpha)
}

// periodText names a period in a message: its label, or its dates when it has none.
func periodText(p goal.Period) string {
	if p.Label != "" {
		return p.Label
	}
	return PeriodLabel(p)
}

// placesOf returns the number of decimal places d is written with (0 for an integer exponent).
func placesOf(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}

// amountText formats d with the given places and thousands separators, e.g. "1,450,000.00".
func amountText(d decimal.Decimal, places int32) string {
	return groupedText(d, places)
}

// percentText formats a fraction as a percentage with one decimal, e.g. 0.1234 → "12.3%".
func percentText(f decimal.Decimal) string {
	if q, ok := fixedUnits(f, 2, 1); ok {
		return string(append(appendUnits(make([]byte, 0, 24), q, 1, false), '%'))
	}
	return fixedText(f.Shift(2), 1) + "%"
}

// signedText formats a float with a true minus sign and the given decimals, e.g. "−2.90".
func signedText(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64) // fmt's %.*f
	if strings.HasPrefix(s, "-") {
		if strings.Trim(s[1:], "0.") == "" {
			return s[1:] // "-0.00" reads as 0
		}
		return "−" + s[1:]
	}
	return s
}

// subject names what a sample is about in a message: "team-3 revenue 2026-Q3".
func subject(unit, metric string, p goal.Period) string {
	parts := make([]string, 0, 3)
	for _, s := range []string{unit, metric, periodText(p)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}
