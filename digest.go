package goalkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/messages"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// enqueue writes the notifications of res, an evaluation at at, to the
// outbox: one row per notification, or, with Config.Grouping, one per
// digest, which it returns.
func (e *Engine) enqueue(ctx context.Context, tx storage.Tx, at time.Time, res alert.Result) ([]alert.Digest, error) {
	if e.grouping == nil {
		out := make([]storage.Notification, len(res.Notifications))
		for i, n := range res.Notifications {
			payload, err := json.Marshal(n)
			if err != nil {
				return nil, err
			}
			out[i] = storage.Notification{Key: n.Key, Fingerprint: n.Fingerprint, Payload: payload, CreatedAt: at}
		}
		return nil, writeOutbox(ctx, tx, out)
	}
	ds := e.grouping.Digests(at, res)
	out := make([]storage.Notification, len(ds))
	for i, d := range ds {
		payload, err := json.Marshal(digestRecord{Digest: &d})
		if err != nil {
			return nil, err
		}
		out[i] = storage.Notification{Key: d.Key, Payload: payload, CreatedAt: at}
	}
	return ds, writeOutbox(ctx, tx, out)
}

// digestRecord is the outbox payload of a digest: {"digest": ...}, told
// from a notification's payload (the JSON of an alert.Notification, which
// has no "digest" field) by its first key.
type digestRecord struct {
	Digest *alert.Digest `json:"digest"`
}

var digestPrefix = []byte(`{"digest":`)

// decodeDigest reads a digest's outbox payload, strictly.
func decodeDigest(n storage.Notification) (alert.Digest, error) {
	var rec digestRecord
	if err := decodeStrict(n.Payload, &rec); err != nil || rec.Digest == nil {
		if err == nil {
			err = fmt.Errorf("no digest in the record")
		}
		return alert.Digest{}, &StateError{Kind: "digest", Key: n.Key, Err: err}
	}
	return *rec.Digest, nil
}

// send delivers one outbox row: a notification, or a digest (one
// NotifyDigest call when the Notifier is an alert.DigestNotifier, else one
// Notify for each notification the digest carries), worded first.
func (e *Engine) send(ctx context.Context, sn storage.Notification, plans wordedPlans) error {
	if !bytes.HasPrefix(sn.Payload, digestPrefix) {
		n, err := decodeNotification(sn)
		if err != nil {
			return fmt.Errorf("goalkit: deliver: %w", err)
		}
		n, _ = e.word(ctx, n, plans)
		if err := e.notifier.Notify(ctx, n); err != nil {
			return fmt.Errorf("goalkit: deliver %q: %w", sn.Key, err)
		}
		return nil
	}
	d, err := decodeDigest(sn)
	if err != nil {
		return fmt.Errorf("goalkit: deliver: %w", err)
	}
	d = e.wordDigest(ctx, d, plans)
	if dn, ok := e.notifier.(alert.DigestNotifier); ok {
		if err := dn.NotifyDigest(ctx, d); err != nil {
			return fmt.Errorf("goalkit: deliver %q: %w", sn.Key, err)
		}
		return nil
	}
	var news []alert.Notification // what the digest says is new: not the still-firing context
	news = append(append(news, d.Fired...), d.Cleared...)
	for _, n := range d.Firing {
		if n.Kind == alert.NotifyReminder {
			news = append(news, n)
		}
	}
	for _, n := range news {
		if err := e.notifier.Notify(ctx, n); err != nil {
			return fmt.Errorf("goalkit: deliver %q of %q: %w", n.Key, sn.Key, err)
		}
	}
	return nil
}

// wordDigest words every alert of d and d itself for its recipient: a
// line of counts, then a line per alert.
func (e *Engine) wordDigest(ctx context.Context, d alert.Digest, plans wordedPlans) alert.Digest {
	head := messages.Facts{Unit: d.Recipient, Period: date.NewAt(d.At.In(e.loc)).String(),
		Fired: len(d.Fired), Firing: len(d.Firing), Covered: len(d.Covered)}
	for i := range d.Fired {
		d.Fired[i], _ = e.word(ctx, d.Fired[i], plans)
	}
	for i := range d.Cleared {
		var key messages.Key
		d.Cleared[i], key = e.word(ctx, d.Cleared[i], plans)
		switch key { // a period that ended is an outcome, not good news
		case messages.KeyMet:
			head.MetGoals++
		case messages.KeyMissed:
			head.MissedGoals++
		default:
			head.Cleared++
		}
	}
	for i, n := range d.Firing {
		// A still-firing alert is said as a reminder, whatever made it due.
		n.Kind = alert.NotifyReminder
		w, _ := e.word(ctx, n, plans)
		d.Firing[i].Summary, d.Firing[i].Language = w.Summary, w.Language
	}
	lang := e.words.languageOf(d.Recipient)
	for i := range d.Covered {
		n := &d.Covered[i].Notification
		f, _ := e.facts(ctx, *n, plans)
		f.CoveredBy = d.Covered[i].By
		text, used, err := e.words.cat.Render(lang, messages.KeyCovered, f)
		if err != nil {
			e.log.Warn("goalkit: word covered alert", "key", n.Key, "err", err)
			continue
		}
		n.Summary, n.Language = text, used.String()
	}
	text, used, err := e.words.cat.Render(lang, messages.KeyDigest, head)
	if err != nil {
		e.log.Warn("goalkit: word digest", "key", d.Key, "err", err)
		return d
	}
	var b strings.Builder
	b.WriteString(text)
	for _, list := range [][]alert.Notification{d.Fired, d.Cleared, d.Firing} {
		for _, n := range list {
			b.WriteString("\n- " + n.Summary)
		}
	}
	for _, c := range d.Covered {
		b.WriteString("\n- " + c.Notification.Summary)
	}
	d.Summary, d.Language = b.String(), used.String()
	return d
}
