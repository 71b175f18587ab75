package sqlstore

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestNegotiationCodec(t *testing.T) {
	n := goal.Negotiation{Unit: "ann", Goal: "g", Parent: "east", State: goal.Confirmed, Exchange: goal.Agreed, Round: 3,
		Due: date.New(2026, 2, 28), Counter: decimal.NewNullDecimal(decimal.RequireFromString("7.5")), Note: "ok",
		Commitment: &goal.Commitment{Figure: decimal.RequireFromString("12.25"), Reason: "r",
			Evidence: []goal.Evidence{{Kind: goal.CompetitorMove, Text: "price cut", Amount: decimal.NewNullDecimal(decimal.NewFromInt(5))}}}}
	s, err := encodeNegotiation(n)
	require.NoError(t, err)
	require.Equal(t, `{"v":1,"u":"ann","g":"g","p":"east","s":"confirmed","x":"agreed","r":3,"d":"2026-02-28",`+
		`"c":{"f":"12.25","r":"r","e":[{"k":"competitor move","t":"price cut","a":"5"}]},"k":"7.5","n":"ok"}`, s, "the stored format is pinned")
	back, err := decodeNegotiation(s)
	require.NoError(t, err)
	require.Equal(t, n, back)
	for _, bad := range []string{``, `{}`, `{"v":2}`, `{"v":1,"s":"draft","x":"awaiting","z":1}`, `{"v":1,"s":"draft","x":"awaiting"} {}`,
		`{"v":1,"s":"maybe","x":"awaiting"}`, `{"v":1,"s":"draft","x":"awaiting","d":"2026-13-01"}`, `{"v":1,"s":"draft","x":"awaiting","k":"1e-5000"}`} {
		_, err := decodeNegotiation(bad)
		require.Error(t, err, bad)
	}
}

func FuzzDecodeNegotiation(f *testing.F) {
	f.Add(`{"v":1,"u":"ann","g":"g","s":"in review","x":"submitted","r":1,"c":{"f":"1.5","r":"r","e":[{"k":"other","t":"x","a":"2"}]}}`)
	f.Add(`{"v":1,"s":"draft","x":"awaiting","k":"1e10000"}`)
	f.Add(`{"v":1,"s":"draft","x":"awaiting","d":"0000-01-01"}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		n, err := decodeNegotiation(s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		again, err := encodeNegotiation(n)
		require.NoError(t, err)
		back, err := decodeNegotiation(again)
		require.NoError(t, err)
		require.Equal(t, again, mustEncode(t, back), "what decodes survives encoding again")
	})
}

func mustEncode(t *testing.T, n goal.Negotiation) string {
	t.Helper()
	s, err := encodeNegotiation(n)
	require.NoError(t, err)
	return s
}
