package report

import (
	"fmt"

	"github.com/goalkit/goalkit/messages"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
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
	lang Lang // English or Chinese
	text *catalogue
	num  *messages.Locale
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
	l := &locale{lang: English, text: &catalogueEN, num: messages.NewLocale(language.English)}
	if i == 1 {
		l.lang, l.text, l.num = Chinese, &catalogueZH, messages.NewLocale(language.SimplifiedChinese)
	}
	return l, nil
}

// integer writes n with the language's digit grouping: 1,234,567.
func (l *locale) integer(n int) string { return l.amount(decimal.NewFromInt(int64(n)), 0) }

// amount writes d with places decimal places, exactly (messages.Locale).
func (l *locale) amount(d decimal.Decimal, places int32) string { return l.num.Amount(d, places) }

// money writes d in code's currency: ¥151,463.00 for CNY in Chinese, CN¥ in
// English (messages.Locale).
func (l *locale) money(d decimal.Decimal, code string, places int32) string {
	return l.num.Money(d, code, places)
}

// percent writes a rate (1 = 100%) with one decimal place: 102.3%.
func (l *locale) percent(r decimal.Decimal) string { return l.num.Percent(r) }
