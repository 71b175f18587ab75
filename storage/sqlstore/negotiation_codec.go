package sqlstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A negotiation is stored as version-1 JSON with short field names of the
// store's own (see codec.go); enums as their words, decimals as strings,
// the due date as ISO text. Decoding is strict: an unknown version or
// field, trailing data, a bad value or one the store would not have
// written (record.CheckNegotiation) is an error naming it.

type negotiationJSON struct {
	V          int             `json:"v"`
	Unit       string          `json:"u"`
	Goal       string          `json:"g"`
	Parent     string          `json:"p,omitempty"`
	State      string          `json:"s"`
	Exchange   string          `json:"x"`
	Round      int             `json:"r"`
	Due        string          `json:"d,omitempty"`
	Commitment *commitmentJSON `json:"c,omitempty"`
	Counter    string          `json:"k,omitempty"`
	Note       string          `json:"n,omitempty"`
}

type commitmentJSON struct {
	Figure   string         `json:"f"`
	Reason   string         `json:"r"`
	Evidence []evidenceJSON `json:"e,omitempty"`
}

type evidenceJSON struct {
	Kind   string `json:"k"`
	Text   string `json:"t"`
	Amount string `json:"a,omitempty"`
}

func encodeNegotiation(n goal.Negotiation) (string, error) {
	state, err := n.State.MarshalText()
	if err != nil {
		return "", err
	}
	exchange, err := n.Exchange.MarshalText()
	if err != nil {
		return "", err
	}
	out := negotiationJSON{V: 1, Unit: n.Unit, Goal: n.Goal, Parent: n.Parent, State: string(state), Exchange: string(exchange),
		Round: n.Round, Note: n.Note}
	if n.Due != 0 {
		out.Due = n.Due.String()
	}
	if n.Counter.Valid {
		out.Counter = n.Counter.Decimal.String()
	}
	if c := n.Commitment; c != nil {
		out.Commitment = &commitmentJSON{Figure: c.Figure.String(), Reason: c.Reason}
		for _, e := range c.Evidence {
			kind, err := e.Kind.MarshalText()
			if err != nil {
				return "", err
			}
			ej := evidenceJSON{Kind: string(kind), Text: e.Text}
			if e.Amount.Valid {
				ej.Amount = e.Amount.Decimal.String()
			}
			out.Commitment.Evidence = append(out.Commitment.Evidence, ej)
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeNegotiation(s string) (goal.Negotiation, error) {
	var in negotiationJSON
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return goal.Negotiation{}, fmt.Errorf("read negotiation: %s", goal.Excerpt(err.Error()))
	}
	if dec.More() {
		return goal.Negotiation{}, errors.New("read negotiation: trailing data after the record")
	}
	if in.V != 1 {
		return goal.Negotiation{}, fmt.Errorf("read negotiation: version %d; this store reads version 1", in.V)
	}
	n := goal.Negotiation{Unit: in.Unit, Goal: in.Goal, Parent: in.Parent, Round: in.Round, Note: in.Note}
	err := errors.Join(n.State.UnmarshalText([]byte(in.State)), n.Exchange.UnmarshalText([]byte(in.Exchange)))
	if err != nil {
		return goal.Negotiation{}, fmt.Errorf("read negotiation: %w", err)
	}
	if in.Due != "" {
		t, err := time.Parse(time.DateOnly, in.Due)
		if err != nil {
			return goal.Negotiation{}, fmt.Errorf("read negotiation: due date %q is not an ISO date", goal.Excerpt(in.Due))
		}
		n.Due = date.NewAt(t)
	}
	if in.Counter != "" {
		v, err := parseDecimal(in.Counter)
		if err != nil {
			return goal.Negotiation{}, fmt.Errorf("read negotiation: counter: %w", err)
		}
		n.Counter = decimal.NewNullDecimal(v)
	}
	if c := in.Commitment; c != nil {
		figure, err := parseDecimal(c.Figure)
		if err != nil {
			return goal.Negotiation{}, fmt.Errorf("read negotiation: commitment: %w", err)
		}
		n.Commitment = &goal.Commitment{Figure: figure, Reason: c.Reason}
		for _, ej := range c.Evidence {
			e := goal.Evidence{Text: ej.Text}
			if err := e.Kind.UnmarshalText([]byte(ej.Kind)); err != nil {
				return goal.Negotiation{}, fmt.Errorf("read negotiation: %w", err)
			}
			if ej.Amount != "" {
				v, err := parseDecimal(ej.Amount)
				if err != nil {
					return goal.Negotiation{}, fmt.Errorf("read negotiation: evidence amount: %w", err)
				}
				e.Amount = decimal.NewNullDecimal(v)
			}
			n.Commitment.Evidence = append(n.Commitment.Evidence, e)
		}
	}
	if err := record.CheckNegotiation(n); err != nil {
		return goal.Negotiation{}, fmt.Errorf("read negotiation: %w", err)
	}
	return n, nil
}
