package messages

import (
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Locale writes numbers and money as one language does. It is the one rule
// for figures in goalkit's words: notifications here, the report's pages.
// A Locale is immutable and safe for concurrent use.
type Locale struct {
	print *message.Printer
	point string
	group string        // the separator of groups of three digits; "" when lang groups otherwise
	home  currency.Unit // the currency of the language's region
	local bool          // whether home is known
}

// NewLocale returns the Locale of lang; a language without a region pays
// in the currency of its most likely one (English: US dollars).
func NewLocale(lang language.Tag) *Locale {
	l := &Locale{print: message.NewPrinter(lang), point: "."}
	if s := l.print.Sprintf("%.1f", 0.5); len(s) >= 3 { // "0.5", "0,5"
		l.point = s[1 : len(s)-1]
	}
	// Most languages group by threes: then group digits here, without a
	// printer's allocations per figure. Others (en-IN: 12,34,567) keep
	// x/text's grouping.
	if sample := l.print.Sprint(number.Decimal(1234567)); len(sample) > 7 {
		sep := sample[1 : 1+(len(sample)-7)/2]
		if sample == "1"+sep+"234"+sep+"567" {
			l.group = sep
		}
	}
	if region, conf := lang.Region(); conf != language.No {
		l.home, l.local = currency.FromRegion(region)
	}
	return l
}

// Amount writes d with places decimal places, exactly: the integer part
// grouped for the language (1,234,567), the fraction d's own digits (a
// float would round a large amount). An integer part beyond int64 is
// written ungrouped, as x/text cannot group it in every language.
func (l *Locale) Amount(d decimal.Decimal, places int32) string {
	r := d.Round(places)
	whole, frac, _ := strings.Cut(r.Abs().StringFixed(places), ".")
	switch {
	case !r.Abs().LessThan(maxGrouped):
	case l.group != "":
		whole = groupThrees(whole, l.group)
	default:
		whole = l.print.Sprint(number.Decimal(r.Abs().Truncate(0).IntPart()))
	}
	if frac != "" {
		whole += l.point + frac
	}
	if r.IsNegative() {
		return "-" + whole
	}
	return whole
}

// groupThrees writes the digits with sep between groups of three.
func groupThrees(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3*len(sep))
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// maxGrouped bounds the amounts whose integer part fits an int64.
var maxGrouped = decimal.New(1, 18)

// Money writes d in the currency with ISO 4217 code: ¥151,463.00 for CNY in
// Chinese, CN¥151,463.00 in English. The language's own currency takes its
// narrow symbol (¥, $), another its distinguishing one (US$ in Chinese, CN¥
// in English); an unknown code is written before the number, and an empty
// one writes Amount.
func (l *Locale) Money(d decimal.Decimal, code string, places int32) string {
	if code == "" {
		return l.Amount(d, places)
	}
	sym := code + " "
	if u, err := currency.ParseISO(code); err == nil {
		if l.local && u == l.home {
			sym = l.print.Sprint(currency.NarrowSymbol(u))
		} else {
			sym = l.print.Sprint(currency.Symbol(u))
		}
	}
	s := l.Amount(d, places)
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "-" + sym + rest
	}
	return sym + s
}

// Percent writes a rate (1 = 100%) with one decimal place: 102.3%.
func (l *Locale) Percent(r decimal.Decimal) string {
	return l.Amount(r.Shift(2), 1) + "%"
}
