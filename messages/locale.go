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
	if region, conf := lang.Region(); conf != language.No {
		l.home, l.local = currency.FromRegion(region)
	}
	return l
}

// Amount writes d with places decimal places, exactly: the integer part
// grouped for the language (1,234,567), the fraction d's own digits (a
// float would round a large amount). An integer part beyond int64 is
// written ungrouped.
func (l *Locale) Amount(d decimal.Decimal, places int32) string {
	r := d.Round(places)
	whole, frac, _ := strings.Cut(r.Abs().StringFixed(places), ".")
	if r.Abs().LessThan(maxGrouped) {
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
