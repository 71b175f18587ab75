package alert

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// The identity labels every alert instance carries. An alert instance is identified by its whole
// label set: the rule that raised it, the unit it is about, and, when the rule has them, the
// metric and the period, plus any extra labels the rule adds (a product, a stage).
const (
	LabelRule   = "rule"   // the rule's name; always present
	LabelUnit   = "unit"   // the org unit's ID; always present
	LabelMetric = "metric" // the metric's name; absent when the rule has none
	LabelPeriod = "period" // PeriodLabel of the period; absent for the zero period
)

// Labels is a set of name/value pairs. A nil Labels is the empty set. Labels never depend on map
// order: String and Fingerprint sort by name.
type Labels map[string]string

// Clone returns a copy of l that shares no memory with it (nil for an empty set).
func (l Labels) Clone() Labels {
	if len(l) == 0 {
		return nil
	}
	return maps.Clone(l)
}

// names returns the label names in ascending order.
func (l Labels) names() []string {
	names := make([]string, 0, len(l))
	for k := range l {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// String returns the labels as {name="value", ...} sorted by name, with values quoted as Go
// strings, so two label sets print alike exactly when they are equal.
func (l Labels) String() string {
	b := make([]byte, 0, 64)
	b = append(b, '{')
	for i, k := range l.names() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, k...)
		b = append(b, '=')
		b = strconv.AppendQuote(b, l[k])
	}
	return string(append(b, '}'))
}

// Fingerprint returns the identity of the label set: 32 lowercase hex digits, the first 128 bits
// of the SHA-256 of the labels sorted by name, each name and value prefixed by its length as an
// unsigned varint. Equal label sets always have equal fingerprints, whatever the map order, the
// process or the release: the encoding is part of the API, because hosts store fingerprints and
// notification keys are built from them.
func (l Labels) Fingerprint() string {
	var buf [8]label
	pairs := buf[:0]
	for k, v := range l {
		pairs = append(pairs, label{k, v})
	}
	return fingerprint(pairs)
}

// label is one name/value pair.
type label struct{ name, value string }

// fingerprint returns the Fingerprint of the label set pairs (distinct
// names, in any order; sorted in place).
func fingerprint(pairs []label) string {
	var buf [256]byte
	sum := sha256.Sum256(appendPairs(buf[:0], pairs))
	var out [32]byte
	hex.Encode(out[:], sum[:16])
	return string(out[:])
}

// appendPairs sorts pairs by name and appends them to b, each name and
// value prefixed by its length as an unsigned varint: an encoding that tells
// every two label sets apart.
func appendPairs(b []byte, pairs []label) []byte {
	slices.SortFunc(pairs, func(a, b label) int { return strings.Compare(a.name, b.name) })
	for _, p := range pairs {
		b = binary.AppendUvarint(b, uint64(len(p.name)))
		b = append(b, p.name...)
		b = binary.AppendUvarint(b, uint64(len(p.value)))
		b = append(b, p.value...)
	}
	return b
}

// Matches reports whether every label in matchers has the same value in l. Empty matchers match
// every label set.
func (l Labels) Matches(matchers Labels) bool {
	for k, v := range matchers {
		if got, ok := l[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// validate checks that names are label names ([A-Za-z_][A-Za-z0-9_]*) and values are UTF-8.
func (l Labels) validate(field string) error {
	ok := true
	for k, v := range l {
		ok = ok && isLabelName(k) && utf8.ValidString(v)
	}
	if ok {
		return nil
	}
	for _, k := range l.names() { // the first bad label by name
		if !isLabelName(k) {
			return invalid(field, "label name %q must match [A-Za-z_][A-Za-z0-9_]*", k)
		}
		if !utf8.ValidString(l[k]) {
			return invalid(field+"["+strconv.Quote(k)+"]", "label value must be valid UTF-8")
		}
	}
	return nil
}

func isLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

func isIdentityLabel(name string) bool {
	return name == LabelRule || name == LabelUnit || name == LabelMetric || name == LabelPeriod
}

// PeriodLabel returns the value of the period label for p: "[start,end)" in ISO 8601 dates, e.g.
// "[2026-01-01,2026-04-01)". It uses the dates, not p.Label, so renaming a calendar's periods
// never changes an alert's identity. It returns "" for the zero period.
func PeriodLabel(p goal.Period) string {
	if p.IsZero() {
		return ""
	}
	b := make([]byte, 0, len("[2026-01-01,2026-04-01)"))
	b = append(b, '[')
	b = appendDate(b, p.Start)
	b = append(b, ',')
	b = appendDate(b, p.End)
	return string(append(b, ')'))
}

// appendDate appends d.String() to b: YYYY-MM-DD for years 0 to 9999,
// written without the date package's formatter in the common case.
func appendDate(b []byte, d date.Date) []byte {
	y, m, day := d.Date()
	if y < 0 || y > 9999 {
		return append(b, d.String()...)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// Severity says how urgent an alert is. The zero Severity means "the default": a Policy with
// zero Severity raises warnings.
type Severity uint8

// The severities, from least to most urgent.
const (
	SeverityInfo Severity = iota + 1
	SeverityWarning
	SeverityCritical
)

var severityNames = [...]string{"", "info", "warning", "critical"}

// String returns "info", "warning" or "critical" ("" for the zero Severity).
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// ParseSeverity parses "info", "warning" or "critical".
func ParseSeverity(s string) (Severity, error) {
	for i, name := range severityNames[1:] {
		if s == name {
			return Severity(i + 1), nil
		}
	}
	return 0, invalid("Severity", "must be info, warning or critical, got %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) {
	if s > SeverityCritical {
		return nil, invalid("Severity", "unknown severity %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; the empty text is the zero Severity.
func (s *Severity) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*s = 0
		return nil
	}
	v, err := ParseSeverity(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

func (s Severity) validate(field string) error {
	if s > SeverityCritical {
		return invalid(field, "must be SeverityInfo, SeverityWarning or SeverityCritical (or 0 for warning), got %d", uint8(s))
	}
	return nil
}

// or returns s, or def when s is zero.
func (s Severity) or(def Severity) Severity {
	if s == 0 {
		return def
	}
	return s
}
