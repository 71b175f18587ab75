package alert

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestLabelsFingerprint(t *testing.T) {
	l := Labels{"rule": "pace", "unit": "rep-1", "metric": "revenue", "period": "[2026-01-01,2026-04-01)"}
	// The encoding is part of the API: hosts store fingerprints. This value must never change.
	require.Equal(t, "7f38fa1402571031adc0c883bd4a8128", l.Fingerprint())
	require.Equal(t, l.Fingerprint(), lcPace("rep-1", true).Fingerprint())
	require.Len(t, Labels(nil).Fingerprint(), 32)
	require.Equal(t, Labels(nil).Fingerprint(), Labels{}.Fingerprint())

	distinct := []Labels{
		nil,
		{"a": ""},
		{"a": "b"},
		{"ab": ""},
		{"a": "b", "c": ""},
		{"a": "bc"},
		{"a": "b,c=d"},
		{"a": "b", "c": "d"},
	}
	seen := map[string]int{}
	for i, l := range distinct {
		fp := l.Fingerprint()
		j, dup := seen[fp]
		require.False(t, dup, "%s and %s share a fingerprint", l, distinct[j])
		seen[fp] = i
	}
}

func TestLabelsFingerprintIgnoresInsertionOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"rule", "unit", "metric", "period", "product", "stage", "region"}
	for range 200 {
		want := Labels{}
		for _, n := range names {
			want[n] = string(rune('a' + r.IntN(26)))
		}
		got := Labels{}
		for _, i := range r.Perm(len(names)) {
			got[names[i]] = want[names[i]]
		}
		require.Equal(t, want.Fingerprint(), got.Fingerprint())
		require.Equal(t, want.String(), got.String())
	}
}

func TestLabelsStringAndMatches(t *testing.T) {
	l := Labels{"unit": "rep-1", "rule": "pace", "note": `say "hi"`}
	require.Equal(t, `{note="say \"hi\"", rule="pace", unit="rep-1"}`, l.String())
	require.Equal(t, "{}", Labels(nil).String())
	require.Equal(t, []string{"note", "rule", "unit"}, l.names())

	require.True(t, l.Matches(nil))
	require.True(t, l.Matches(Labels{"rule": "pace"}))
	require.True(t, l.Matches(Labels{"rule": "pace", "unit": "rep-1"}))
	require.False(t, l.Matches(Labels{"rule": "pace", "unit": "rep-2"}))
	require.False(t, l.Matches(Labels{"metric": ""}), "a missing label does not match an empty value")

	c := l.Clone()
	c["unit"] = "rep-2"
	require.Equal(t, "rep-1", l["unit"])
	require.Nil(t, Labels{}.Clone())
}

func TestSampleLabels(t *testing.T) {
	s := Sample{Rule: "stuck", Unit: "rep-1", Extra: Labels{"stage": "proposal"}}
	require.Equal(t, Labels{"rule": "stuck", "unit": "rep-1", "stage": "proposal"}, s.Labels())
	s.Metric, s.Period = "deals", lcQ1
	require.Equal(t, Labels{"rule": "stuck", "unit": "rep-1", "stage": "proposal", "metric": "deals", "period": "[2026-01-01,2026-04-01)"}, s.Labels())

	// The period's identity is its dates, not its label.
	renamed := s
	renamed.Period.Label = "FY26-Q1"
	require.Equal(t, s.Fingerprint(), renamed.Fingerprint())
	require.Equal(t, "", PeriodLabel(goal.Period{}))
}

func TestSeverity(t *testing.T) {
	for _, s := range []Severity{SeverityInfo, SeverityWarning, SeverityCritical} {
		got, err := ParseSeverity(s.String())
		require.NoError(t, err)
		require.Equal(t, s, got)
	}
	require.Equal(t, "Severity(9)", Severity(9).String())
	_, err := ParseSeverity("fatal")
	lcRequireInvalid(t, err, "Severity")
	_, err = ParseSeverity("")
	lcRequireInvalid(t, err, "Severity")
	require.Less(t, SeverityInfo, SeverityWarning)
	require.Less(t, SeverityWarning, SeverityCritical)

	b, err := json.Marshal(struct{ S Severity }{SeverityCritical})
	require.NoError(t, err)
	require.JSONEq(t, `{"S":"critical"}`, string(b))
	var v struct{ S Severity }
	require.NoError(t, json.Unmarshal([]byte(`{"S":"info"}`), &v))
	require.Equal(t, SeverityInfo, v.S)
	require.Error(t, json.Unmarshal([]byte(`{"S":"loud"}`), &v))
	_, err = json.Marshal(struct{ S Severity }{9})
	require.Error(t, err)
}

func TestPeriodLabelWritesDatesAsTheDatePackage(t *testing.T) {
	for _, d := range []date.Date{
		date.New(0, time.January, 1), date.New(1, time.February, 3), date.New(999, time.December, 31),
		date.New(1970, time.January, 1), date.New(2026, time.September, 15), date.New(9999, time.December, 31),
		date.New(10000, time.January, 1), date.New(-1, time.March, 4),
	} {
		p := goal.Period{Start: d, End: d + 1}
		require.Equal(t, "["+d.String()+","+(d+1).String()+")", PeriodLabel(p))
	}
}

func TestInhibitionKeyIsTheLabelsWithoutUnit(t *testing.T) {
	l := Labels{LabelRule: "pace", LabelUnit: "rep-1", LabelMetric: "revenue", "plan": "fy\"26"}
	same := Labels{LabelRule: "pace", LabelUnit: "team-1", LabelMetric: "revenue", "plan": "fy\"26"}
	require.Equal(t, inhibitionKey(l), inhibitionKey(same))
	require.Equal(t, inhibitionKey(l), inhibitionKey(Labels{LabelRule: "pace", LabelMetric: "revenue", "plan": "fy\"26"}))
	for _, other := range []Labels{
		{LabelRule: "pace", LabelUnit: "rep-1", LabelMetric: "revenue"},
		{LabelRule: "pace", LabelUnit: "rep-1", LabelMetric: "revenue", "plan": "fy\"27"},
		{LabelRule: "pace", LabelUnit: "rep-1", LabelMetric: "revenue", "plan": "fy", "\"26": ""},
		{LabelRule: "pace", LabelUnit: "rep-1", LabelMetric: "revenueplan", "": "fy\"26"},
	} {
		require.NotEqual(t, inhibitionKey(l), inhibitionKey(other), "%s", other)
	}
}

// Sample.Fingerprint hashes the same label set as Sample.Labels, including
// the invalid samples whose Extra repeats an identity label.
func TestSampleFingerprintIsItsLabels(t *testing.T) {
	q := goal.Period{Start: date.New(2026, time.July, 1), End: date.New(2026, time.October, 1)}
	for _, s := range []Sample{
		{Rule: "pace", Unit: "rep-1"},
		{Rule: "pace", Unit: "rep-1", Metric: "revenue", Period: q, Extra: Labels{"plan": "fy26"}},
		{Rule: "pace", Unit: "rep-1", Extra: Labels{LabelMetric: "calls", LabelPeriod: "x", "a": "b"}},
		{Rule: "pace", Unit: "rep-1", Metric: "revenue", Period: q, Extra: Labels{LabelMetric: "calls", LabelUnit: "other", LabelRule: "r"}},
		{Rule: "p", Unit: "u", Extra: Labels{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6", "g": "7", "h": "8"}},
	} {
		require.Equal(t, s.Labels().Fingerprint(), s.Fingerprint(), "%+v", s)
	}
}
