// Package jsonstr appends JSON strings exactly as encoding/json writes
// them, for the hand-written encoders of hot records (alert states, plan
// versions) whose output must stay byte for byte what json.Marshal wrote.
package jsonstr

import (
	"encoding/json"
	"unicode/utf8"
)

// Append appends s as a JSON string the way json.Marshal does: printable
// ASCII but quotes, backslashes and HTML characters, and valid UTF-8 but
// U+2028 and U+2029, as they are; a string with anything else through
// json.Marshal itself.
func Append(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += n
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	data, _ := json.Marshal(s) // a string always encodes
	return append(b, data...)
}
