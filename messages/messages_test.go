package messages_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/messages"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

func TestFormatMoneyAndNumbers(t *testing.T) {
	zh, en := language.MustParse("zh-CN"), language.English
	money := messages.Facts{Currency: "CNY", Places: 2, Actual: dec("151463"), Expected: dec("-12300.456"), Target: dec("98765432109876543210.5")}
	require.Equal(t, "¥151,463.00", messages.Format(zh, money).Actual)
	require.Equal(t, "CN¥151,463.00", messages.Format(en, money).Actual)
	require.Equal(t, "-¥12,300.46", messages.Format(zh, money).Expected)
	// Beyond int64 the digits are kept exactly, ungrouped.
	require.Equal(t, "¥98765432109876543210.50", messages.Format(zh, money).Target)
	usd := messages.Facts{Currency: "USD", Places: 2, Actual: dec("1500")}
	require.Equal(t, "$1,500.00", messages.Format(en, usd).Actual)
	count := messages.Facts{Actual: dec("12345"), Target: dec("20000")}
	require.Equal(t, "12,345", messages.Format(zh, count).Actual)
	require.Equal(t, "61.7%", messages.Format(zh, count).Attainment)
	require.Equal(t, "1.234,5", messages.Format(language.German, messages.Facts{Places: 1, Actual: dec("1234.5")}).Actual)
	require.Empty(t, messages.Format(en, messages.Facts{Actual: dec("3")}).Attainment, "no attainment of a zero target")
}

func TestFormatBehindFollowsDirection(t *testing.T) {
	up := messages.Facts{Actual: dec("8"), Expected: dec("10"), Target: dec("20")}
	require.Equal(t, "2", messages.Format(language.English, up).Behind)
	require.Equal(t, "12", messages.Format(language.English, up).Short)
	down := up
	down.Direction = goal.LowerIsBetter
	require.Empty(t, messages.Format(language.English, down).Behind, "under a ceiling's pace is not behind")
	require.Empty(t, messages.Format(language.English, down).Short)
	require.True(t, down.Met())
	require.False(t, up.Met())
}

func TestRenderPicksTheLanguage(t *testing.T) {
	c, err := messages.NewCatalog()
	require.NoError(t, err)
	require.Equal(t, "zh-CN", c.Language(language.MustParse("zh-Hans-CN")).String())
	require.Equal(t, "zh-CN", c.Language(language.Chinese).String())
	require.Equal(t, "en", c.Language(language.MustParse("en-GB")).String())
	require.Equal(t, "en", c.Language(language.MustParse("sw")).String(), "English for a language the catalogue lacks")
	require.Equal(t, "en", c.Language(language.Und).String())
}

func TestOverrides(t *testing.T) {
	f := messages.Facts{Unit: "wang", Metric: "visits", Period: "2026-W29", Actual: dec("5"), Target: dec("20")}
	c, err := messages.NewCatalog(
		messages.Template{Language: language.English, Key: messages.KeyMissed, Text: "{{.Unit}} missed: {{.Actual}}/{{.Target}}"},
		messages.Template{Language: language.French, Key: messages.KeyMissed, Text: "{{.Unit}} : objectif manqué de {{.Short}}"},
	)
	require.NoError(t, err)
	text, _, err := c.Render(language.English, messages.KeyMissed, f)
	require.NoError(t, err)
	require.Equal(t, "wang missed: 5/20", text)
	text, used, err := c.Render(language.French, messages.KeyMissed, f)
	require.NoError(t, err)
	require.Equal(t, "fr", used.String())
	require.Equal(t, "wang : objectif manqué de 15", text)
	// A key the added language lacks falls back to English.
	text, _, err = c.Render(language.French, messages.KeyMet, f)
	require.NoError(t, err)
	require.Equal(t, "wang visits 2026-W29: met, 5 of 20 (25,0%)", text, "English words, French numbers")
	text, _, err = c.Render(language.Chinese, messages.KeyMissed, f)
	require.NoError(t, err)
	require.Equal(t, "wang visits 2026-W29：未达成，差 15，完成 5 / 20（25.0%）", text, "the other languages keep their wording")
}

func TestBadTemplates(t *testing.T) {
	for name, tmpl := range map[string]messages.Template{
		"unknown key":   {Language: language.English, Key: "late", Text: "x"},
		"syntax":        {Language: language.English, Key: messages.KeyMet, Text: "{{.Unit"},
		"unknown field": {Language: language.English, Key: messages.KeyMet, Text: "{{.Revenue}}"},
	} {
		_, err := messages.NewCatalog(tmpl)
		require.ErrorIs(t, err, messages.ErrInvalid, name)
	}
	c, err := messages.NewCatalog()
	require.NoError(t, err)
	_, _, err = c.Render(language.English, "late", messages.Facts{})
	require.ErrorIs(t, err, messages.ErrInvalid)
}

func TestKeyOf(t *testing.T) {
	behind := messages.Facts{Actual: dec("5"), Expected: dec("10"), Target: dec("20")}
	ahead := messages.Facts{Actual: dec("25"), Expected: dec("10"), Target: dec("20")}
	n := func(kind alert.NotificationKind, rule string) alert.Notification {
		return alert.Notification{Kind: kind, Rule: rule}
	}
	for _, tc := range []struct {
		n     alert.Notification
		ended bool
		f     messages.Facts
		want  messages.Key
	}{
		{n(alert.NotifyFiring, alert.RulePace), false, behind, messages.KeyBehind},
		{n(alert.NotifyReminder, alert.RulePace), false, behind, messages.KeyStillBehind},
		{n(alert.NotifyFiring, alert.RuleLinearPace), false, behind, messages.KeyBehind},
		{n(alert.NotifyFiring, alert.RulePace), false, ahead, messages.KeyFiring},
		{n(alert.NotifyFiring, alert.RuleStagnation), false, behind, messages.KeyFiring},
		{n(alert.NotifyEscalated, alert.RulePace), false, behind, messages.KeyEscalated},
		{n(alert.NotifyResolved, alert.RulePace), false, behind, messages.KeyCleared},
		{n(alert.NotifyResolved, alert.RulePace), true, behind, messages.KeyMissed},
		{n(alert.NotifyResolved, alert.RulePace), true, ahead, messages.KeyMet},
		{n(messages.NotifyReviewRequest, "negotiation"), false, behind, messages.KeyReviewRequest},
		{n(messages.NotifyReviewReminder, "negotiation"), true, ahead, messages.KeyReviewReminder},
		{n(messages.NotifyAnswerReminder, "negotiation"), false, behind, messages.KeyAnswerReminder},
	} {
		require.Equal(t, tc.want, messages.KeyOf(tc.n, tc.ended, tc.f), "%s %s ended=%v", tc.n.Kind, tc.n.Rule, tc.ended)
	}
}

func TestPerDayIsEnough(t *testing.T) {
	f := messages.Facts{PerDay: decimal.NewNullDecimal(dec("31.43")), Target: dec("220")}
	require.Equal(t, "32", messages.Format(language.English, f).PerDay, "31 a day would miss")
	f.Direction = goal.LowerIsBetter
	require.Equal(t, "31", messages.Format(language.English, f).PerDay, "32 a day would exceed the ceiling")
	f.PerDay = decimal.NullDecimal{}
	require.Empty(t, messages.Format(language.English, f).PerDay)
}

func TestLocaleGrouping(t *testing.T) {
	for _, tc := range []struct {
		lang, want string
	}{
		{"en", "987,654,321,098,765,432.50"},
		{"zh-CN", "987,654,321,098,765,432.50"},
		{"de", "987.654.321.098.765.432,50"},
		{"fr", "987 654 321 098 765 432,50"},
	} {
		l := messages.NewLocale(language.MustParse(tc.lang))
		got := strings.ReplaceAll(l.Amount(dec("987654321098765432.5"), 2), "\u202f", " ")
		got = strings.ReplaceAll(got, "\u00a0", " ")
		require.Equal(t, tc.want, got, tc.lang)
		for _, n := range []string{"0", "7", "999", "1000", "-1234.5", "100000"} {
			want := message.NewPrinter(language.MustParse(tc.lang)).Sprint(number.Decimal(dec(n).IntPart()))
			got := l.Amount(dec(n).Truncate(0), 0)
			require.Equal(t, want, got, "%s %s, as x/text groups it", tc.lang, n)
		}
	}
	india := messages.NewLocale(language.MustParse("en-IN"))
	require.Equal(t, message.NewPrinter(language.MustParse("en-IN")).Sprint(number.Decimal(1234567)), india.Amount(dec("1234567"), 0))
}
