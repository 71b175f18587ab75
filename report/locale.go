package report

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Lang is the language a report is written in: a BCP 47 tag. Tags are
// matched to the supported languages, so "zh", "zh-Hans" and "zh-CN" all
// mean Chinese and "en-GB" English; empty means English.
type Lang string

// The supported languages.
const (
	English Lang = "en"
	Chinese Lang = "zh-CN"
)

var matcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// locale formats labels, numbers and money in one of the supported
// languages.
type locale struct {
	lang  Lang // English or Chinese
	text  *catalogue
	print *message.Printer
	home  currency.Unit // the currency of the language's region
}

// newLocale matches lang against the supported languages.
func newLocale(lang Lang) (*locale, error) {
	if lang == "" {
		lang = English
	}
	tag, err := language.Parse(string(lang))
	if err != nil {
		return nil, fmt.Errorf("report: language %q is not a BCP 47 tag; use report.English or report.Chinese (zh-CN): %w", lang, ErrInvalid)
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return nil, fmt.Errorf("report: language %q is not supported; use report.English or report.Chinese (zh-CN): %w", lang, ErrInvalid)
	}
	l := &locale{lang: English, text: &catalogueEN, home: currency.USD, print: message.NewPrinter(language.English)}
	if i == 1 {
		l.lang, l.text, l.home, l.print = Chinese, &catalogueZH, currency.CNY, message.NewPrinter(language.SimplifiedChinese)
	}
	return l, nil
}

// integer writes n with the language's digit grouping: 1,234,567.
func (l *locale) integer(n int) string { return l.amount(decimal.NewFromInt(int64(n)), 0) }

// amount writes d with places decimal places, exactly: the integer part is
// grouped for the language by x/text, the fraction is d's own digits (a
// float would round a large amount). An integer part beyond int64 is
// written ungrouped.
func (l *locale) amount(d decimal.Decimal, places int32) string {
	r := d.Round(places)
	whole, frac, _ := strings.Cut(r.Abs().StringFixed(places), ".")
	if r.Abs().LessThan(maxGrouped) {
		whole = l.print.Sprint(number.Decimal(r.Abs().Truncate(0).IntPart()))
	}
	if frac != "" {
		whole += "." + frac
	}
	if r.IsNegative() {
		return "-" + whole
	}
	return whole
}

// maxGrouped bounds the amounts whose integer part fits an int64.
var maxGrouped = decimal.New(1, 18)

// money writes d in code's currency: ¥151,463.00 for CNY in Chinese, $1,200
// for USD in English with no places. The language's own currency takes its
// narrow symbol (¥, $), another its full one (US$ in Chinese, CN¥ in
// English); an unknown code is written before the number.
func (l *locale) money(d decimal.Decimal, code string, places int32) string {
	if code == "" {
		return l.amount(d, places)
	}
	sym := code + " "
	if u, err := currency.ParseISO(code); err == nil {
		if u == l.home {
			sym = l.print.Sprint(currency.NarrowSymbol(u))
		} else {
			sym = l.print.Sprint(currency.Symbol(u))
		}
	}
	s := l.amount(d, places)
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "-" + sym + rest
	}
	return sym + s
}

// percent writes a rate (1 = 100%) with one decimal place: 102.3%.
func (l *locale) percent(r decimal.Decimal) string {
	return l.amount(r.Shift(2).Round(1), 1) + "%"
}
