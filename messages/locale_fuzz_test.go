package messages_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/messages"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// FuzzAmount: whatever the amount, a language's figure is the decimal's
// own digits, rounded to the places, with only group separators added.
func FuzzAmount(f *testing.F) {
	for _, s := range []string{"0", "-0.004", "151463", "1234567.891", "-98765432109876543210.5", "999999999999999999.995"} {
		f.Add(s, int32(2))
	}
	locales := map[string]*messages.Locale{}
	for _, l := range []string{"en", "zh-CN", "de"} {
		locales[l] = messages.NewLocale(language.MustParse(l))
	}
	f.Fuzz(func(t *testing.T, s string, places int32) {
		d, err := decimal.NewFromString(s)
		if err != nil || places < 0 || places > 6 || d.Exponent() < -40 || d.Exponent() > 40 {
			return
		}
		want := d.Round(places).StringFixed(places)
		if d.Round(places).IsZero() {
			want = strings.TrimPrefix(want, "-")
		}
		for name, l := range locales {
			got := l.Amount(d, places)
			if name == "de" {
				got = strings.NewReplacer(".", "", ",", ".").Replace(got)
			} else {
				got = strings.ReplaceAll(got, ",", "")
			}
			if got != want {
				t.Fatalf("%s: Amount(%s, %d) = %q, want the digits %q", name, s, places, l.Amount(d, places), want)
			}
		}
	})
}
