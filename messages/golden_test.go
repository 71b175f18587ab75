package messages_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/messages"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// goldenCases are one notification of every key, money and counts.
var goldenCases = []struct {
	name string
	key  messages.Key
	f    messages.Facts
}{
	{"revenue behind", messages.KeyBehind, messages.Facts{Unit: "wang", Metric: "revenue", Period: "2026-Q3", Rule: "pace",
		Currency: "CNY", Places: 2, Actual: dec("151463"), Expected: dec("163763"), Target: dec("600000"),
		PerDay: decimal.NewNullDecimal(dec("4100")), Details: "wang revenue 2026-Q3: 151463.00 against 163763.00 expected, z = −3.35 (flag below −2.33): behind pace"}},
	{"revenue still behind", messages.KeyStillBehind, messages.Facts{Unit: "wang", Metric: "revenue", Period: "2026-Q3", Rule: "pace",
		Currency: "CNY", Places: 2, Actual: dec("151463"), Expected: dec("163763"), Target: dec("600000"), PerDay: decimal.NewNullDecimal(dec("4100"))}},
	{"visits behind, no day left", messages.KeyBehind, messages.Facts{Unit: "wang", Metric: "visits", Period: "2026-W29", Rule: "pace",
		Actual: dec("5"), Expected: dec("16"), Target: dec("20")}},
	{"stalled deals", messages.KeyFiring, messages.Facts{Unit: "zhao", Rule: "stagnation", Actual: dec("3"), Expected: dec("1")}},
	{"escalated", messages.KeyEscalated, messages.Facts{Unit: "wang", Metric: "revenue", Period: "2026-Q3", Rule: "pace",
		Currency: "CNY", Places: 2, Actual: dec("151463"), Expected: dec("163763"), Target: dec("600000")}},
	{"cleared", messages.KeyCleared, messages.Facts{Unit: "wang", Metric: "visits", Period: "2026-W30", Rule: "pace",
		Actual: dec("14"), Expected: dec("12"), Target: dec("20")}},
	{"met", messages.KeyMet, messages.Facts{Unit: "li", Metric: "revenue", Period: "2026-07", Rule: "pace",
		Currency: "CNY", Places: 2, Actual: dec("1234567.8"), Target: dec("1200000")}},
	{"missed", messages.KeyMissed, messages.Facts{Unit: "wang", Metric: "visits", Period: "2026-W29", Rule: "pace",
		Actual: dec("5"), Target: dec("20")}},
	{"covered by the team", messages.KeyCovered, messages.Facts{Unit: "wang", Metric: "revenue", Period: "2026-Q3", Rule: "pace",
		Currency: "CNY", Places: 2, Actual: dec("151463"), Expected: dec("163763"), Target: dec("600000"),
		PerDay: decimal.NewNullDecimal(dec("4100")), CoveredBy: "north"}},
	{"covered, not behind", messages.KeyCovered, messages.Facts{Unit: "li", Metric: "visits", Period: "2026-W29", Rule: "projected_miss",
		Actual: dec("12"), Expected: dec("10"), Target: dec("20"), CoveredBy: "north"}},
	{"digest", messages.KeyDigest, messages.Facts{Unit: "north", Period: "2026-07-17", Fired: 2, Cleared: 1, Firing: 3}},
	{"digest with outcomes", messages.KeyDigest, messages.Facts{Unit: "wang", Period: "2026-07-20", MissedGoals: 2, MetGoals: 1, Firing: 1}},
	{"digest of a covered rep", messages.KeyDigest, messages.Facts{Unit: "wang", Period: "2026-07-17", Covered: 1}},
	{"missed a ceiling", messages.KeyMissed, messages.Facts{Unit: "north", Metric: "discount", Period: "2026-Q3", Rule: "pace",
		Currency: "CNY", Places: 2, Direction: goal.LowerIsBetter, Actual: dec("60500"), Target: dec("50000")}},
	{"review request", messages.KeyReviewRequest, messages.Facts{Unit: "north", Metric: "revenue", Period: "FY2027",
		Currency: "CNY", Places: 2, Target: dec("1200000"), Due: "2026-12-15"}},
	{"review reminder, no due date", messages.KeyReviewReminder, messages.Facts{Unit: "ann", Metric: "revenue", Period: "FY2027",
		Currency: "CNY", Places: 2, Target: dec("300000")}},
	{"answer reminder", messages.KeyAnswerReminder, messages.Facts{Unit: "ann", Metric: "revenue", Period: "FY2027",
		Currency: "CNY", Places: 2, Actual: dec("280000"), Target: dec("300000"), Due: "2026-12-15"}},
}

// TestGolden renders every case in English and Chinese and compares with
// testdata/<language>.golden; go test ./messages -update rewrites them.
func TestGolden(t *testing.T) {
	c, err := messages.NewCatalog()
	require.NoError(t, err)
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			for _, tc := range goldenCases {
				text, used, err := c.Render(language.MustParse(lang), tc.key, tc.f)
				require.NoError(t, err, tc.name)
				require.Equal(t, lang, used.String())
				fmt.Fprintf(&b, "# %s (%s)\n%s\n", tc.name, tc.key, text)
			}
			path := filepath.Join("testdata", lang+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./messages -update to write it")
			require.Equal(t, string(want), b.String())
		})
	}
}
