package goalkit

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// recordOf is the instanceRecord of in, as the engine marshalled it with
// encoding/json before encodeInstance wrote the fields itself.
func recordOf(in alert.Instance) instanceRecord {
	return instanceRecord{
		V: stateVersion, Fingerprint: in.Fingerprint, Rule: in.Rule, Unit: in.Unit, Labels: in.Labels,
		State: string(in.State), Severity: in.Severity.String(), Since: in.Since, LastEval: in.LastEval,
		FiredAt: in.FiredAt, ClearedAt: in.ClearedAt, ResolvedAt: in.ResolvedAt, LastNotified: in.LastNotified,
		ActiveEvals: in.ActiveEvals, ClearEvals: in.ClearEvals, FiringEvals: in.FiringEvals, Reminders: in.Reminders,
		FiringNotified: in.FiringNotified, ResolvedNotified: in.ResolvedNotified, Escalated: in.Escalated,
		Value: in.Value, Threshold: in.Threshold, Message: in.Message,
	}
}

// encodeInstance writes exactly the bytes json.Marshal writes for the
// record: stored states keep one format, whatever wrote them.
func TestEncodeInstanceIsJSONOfTheRecord(t *testing.T) {
	texts := []string{"", "rep-1", `say "hi"\now`, "<b>&amp;</b>", "tab\there\n", "收入 落后于进度", "line\u2028sep\u2029",
		"bad \xff utf-8", "del\x7f", "[2026-01-01,2026-04-01)", "emoji 😀"}
	shanghai := time.FixedZone("CST", 8*3600)
	times := []time.Time{{}, time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 15, 12, 30, 0, 123456789, shanghai)}
	decimals := []decimal.Decimal{{}, decimal.RequireFromString("-12.50"), decimal.RequireFromString("25046040539.55"), decimal.New(7, 3)}
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	pickT := func() time.Time { return times[r.IntN(len(times))] }
	for i := range 3000 {
		var labels alert.Labels
		switch i % 3 {
		case 1:
			labels = alert.Labels{}
		case 2:
			labels = alert.Labels{alert.LabelRule: pick(texts), alert.LabelUnit: pick(texts), pick(texts): pick(texts), "plan": pick(texts)}
		}
		in := alert.Instance{
			Fingerprint: pick(texts), Rule: pick(texts), Unit: pick(texts), Labels: labels,
			State: alert.State(pick([]string{"pending", "firing", "resolved"})), Severity: alert.Severity(r.IntN(5)),
			Since: pickT(), LastEval: pickT(), FiredAt: pickT(), ClearedAt: pickT(), ResolvedAt: pickT(), LastNotified: pickT(),
			ActiveEvals: r.IntN(100) - 3, ClearEvals: r.IntN(3), FiringEvals: r.IntN(1 << 20), Reminders: r.IntN(4),
			FiringNotified: r.IntN(2) == 0, ResolvedNotified: r.IntN(2) == 0, Escalated: r.IntN(2) == 0,
			Value: decimals[r.IntN(len(decimals))], Threshold: decimals[r.IntN(len(decimals))], Message: pick(texts),
		}
		want, err := json.Marshal(recordOf(in))
		require.NoError(t, err)
		got, err := encodeInstance(in)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
}

// A time json.Marshal refuses (a year past 9999) is an error, not a
// half-written record.
func TestEncodeInstanceRefusesATimeJSONRefuses(t *testing.T) {
	in := alert.Instance{Fingerprint: "f", Rule: "pace", Unit: "u", State: alert.StateFiring, Since: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, want := json.Marshal(recordOf(in))
	require.Error(t, want)
	_, err := encodeInstance(in)
	require.Error(t, err)
}

func BenchmarkEncodeInstance(b *testing.B) {
	at := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	in := alert.Instance{
		Fingerprint: "7f38fa1402571031adc0c883bd4a8128", Rule: "pace", Unit: "rep-0001",
		Labels: alert.Labels{alert.LabelRule: "pace", alert.LabelUnit: "rep-0001", alert.LabelMetric: "revenue", alert.LabelPeriod: "[2026-07-01,2026-10-01)", "plan": "e1-revenue"},
		State:  alert.StateFiring, Severity: alert.SeverityWarning, Since: at, LastEval: at, FiredAt: at,
		ActiveEvals: 1, FiringEvals: 1, Value: decimal.RequireFromString("123456.78"), Threshold: decimal.RequireFromString("150000.00"),
		Message: "rep-0001 revenue 2026-Q3: 123,456.78 against 150,000.00 expected by 2026-09-15 (83.0% of the plan), z = −2.91 (flag below −2.33): behind pace",
	}
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(recordOf(in)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodeInstance", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encodeInstance(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
