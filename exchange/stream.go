package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// jsonStream reads one JSON value at a time from JSON lines (or any
// whitespace-separated values) or from one top-level array, knowing the
// line each value starts on.
type jsonStream struct {
	lines *lineCounter
	dec   *json.Decoder
	array bool
	begun bool
}

func newJSONStream(r io.Reader) *jsonStream {
	lc := &lineCounter{r: r}
	br := bufio.NewReader(lc)
	s := &jsonStream{lines: lc}
	for { // peek past whitespace and a BOM for '['
		b, err := br.Peek(1)
		if err != nil {
			break
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			br.ReadByte()
			lc.skipped++
			continue
		}
		if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
			br.Discard(3)
			lc.skipped += 3
			continue
		}
		s.array = b[0] == '['
		break
	}
	s.dec = json.NewDecoder(br)
	s.dec.UseNumber()
	return s
}

// next returns the next value's bytes and starting line, or io.EOF.
func (s *jsonStream) next() (json.RawMessage, int, error) {
	if s.array && !s.begun {
		if _, err := s.dec.Token(); err != nil {
			return nil, 1, err
		}
		s.begun = true
	}
	if !s.dec.More() {
		if s.array {
			if _, err := s.dec.Token(); err != nil { // the closing ']'
				if err == io.EOF {
					err = errors.New("the input ends inside the array; close it with ]")
				}
				return nil, s.lines.lineAt(s.dec.InputOffset() + s.lines.skipped), err
			}
			if _, err := s.dec.Token(); err != io.EOF {
				return nil, s.lines.lineAt(s.dec.InputOffset() + s.lines.skipped), errors.New("text after the closing ] of the array; write one array or JSON lines")
			}
		}
		return nil, 0, io.EOF
	}
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		if err == io.EOF { // after a comma: the array was cut short
			err = errors.New("the input ends inside the array; close it with ]")
		}
		return nil, s.lines.lineAt(s.dec.InputOffset() + s.lines.skipped), err
	}
	start := s.dec.InputOffset() + s.lines.skipped - int64(len(raw))
	return raw, s.lines.lineAt(start), nil
}

// lineCounter passes reads through, remembering where the newlines are so
// that lineAt can name the line of an offset. Offsets must be asked in
// increasing order; newlines before the last one asked are forgotten.
type lineCounter struct {
	r       io.Reader
	read    int64   // bytes read
	skipped int64   // bytes the stream skipped before the decoder began
	nl      []int64 // offsets of newlines not yet passed
	before  int     // newlines passed and forgotten
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.nl = append(c.nl, c.read+int64(i))
		}
	}
	c.read += int64(n)
	return n, err
}

// lineAt is the 1-based line holding byte offset off.
func (c *lineCounter) lineAt(off int64) int {
	k := sort.Search(len(c.nl), func(i int) bool { return c.nl[i] >= off })
	c.before += k
	c.nl = c.nl[k:]
	return c.before + 1
}

// dateFields are the JSON keys that hold dates in every record kind.
var dateFields = map[string]bool{"date": true, "start": true, "end": true, "until": true,
	"active_from": true, "active_until": true, "expected_close": true, "as_of": true}

// checkDates reports the first date field of raw that is not a real
// calendar day: date.Date's own UnmarshalText rolls 2026-13-01 over into
// 2027, which an import must refuse.
func checkDates(raw json.RawMessage, line int) *RowError {
	type frame struct {
		object, wantKey bool
		text            bool // inside "dims": free text, not dates
		key             string
	}
	var stack []frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or malformed JSON that decodeJSON reports
		}
		n := len(stack)
		if n > 0 && stack[n-1].object && stack[n-1].wantKey {
			if key, ok := tok.(string); ok {
				stack[n-1].key, stack[n-1].wantKey = key, false
				continue
			}
			stack = stack[:n-1] // the object's closing brace
			valueDone()
			continue
		}
		text := n > 0 && (stack[n-1].text || stack[n-1].key == "dims")
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true, text: text})
			case '[':
				stack = append(stack, frame{text: text})
			default: // ']'
				stack = stack[:n-1]
				valueDone()
			}
			continue
		case string:
			if !text && n > 0 && stack[n-1].object && dateFields[stack[n-1].key] && t != "" {
				if _, ok := parseDay(t); !ok {
					return &RowError{Line: line, Column: stack[n-1].key, Value: t, Reason: errNotADate.Error()}
				}
			}
		}
		valueDone()
	}
}

// decodeJSON decodes one record strictly (an unknown field is an error, so
// a misspelt one is not silently dropped; a date must be a real day).
func decodeJSON(raw json.RawMessage, line int, v any) *RowError {
	if re := checkDates(raw, line); re != nil {
		return re
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		re := &RowError{Line: line, Reason: err.Error()}
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			re.Column, re.Value = te.Field, te.Value
			re.Reason = fmt.Sprintf("a %s where %s is expected", te.Value, te.Type)
		}
		return re
	}
	return nil
}
