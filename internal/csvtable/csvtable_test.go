package csvtable

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestReader(t *testing.T) {
	in := "\ufeffname,n,x,extra\r\n\"Smith, J\",12.50,-3,\r\n\"two\r\nlines\",1,2,\r\nok,1e3,1,\r\n"
	r, err := NewReader(strings.NewReader(in), "x", "name", "n")
	require.NoError(t, err, "the BOM is dropped and the order of the columns is free")

	require.NoError(t, r.Next())
	require.Equal(t, 2, r.Line())
	require.Equal(t, "Smith, J", r.Required("name"))
	require.Equal(t, "12.5", r.Decimal("n").Decimal.String())
	require.Equal(t, -3, r.Int("x"))
	require.NoError(t, r.Err())

	require.NoError(t, r.Next())
	require.Equal(t, 3, r.Line())
	r.Text("name")
	r.Int("x") // fine, and the first error stays
	err = r.Err()
	require.ErrorIs(t, err, ErrText)
	require.EqualError(t, err, `line 3: name "two\nlines": not UTF-8 text without control characters`)

	require.NoError(t, r.Next())
	require.NoError(t, r.Err(), "Next clears the record's error")
	r.Decimal("n")
	require.EqualError(t, InFile(r.Err(), "f.csv"), `f.csv:5: n "1e3": not a plain decimal number`)
	require.Equal(t, io.EOF, r.Next())

	require.EqualError(t, InFile(errors.New("boom"), "f.csv"), "f.csv: boom")
	require.NoError(t, InFile(nil, "f.csv"))
	_, err = NewReader(strings.NewReader("a,a\n"))
	require.ErrorIs(t, err, ErrDuplicate)
	require.Panics(t, func() {
		r, _ := NewReader(strings.NewReader("a\n1\n"))
		_ = r.Next()
		r.Text("b")
	}, "asking for a column NewReader did not check is a bug")
}

func TestNumbers(t *testing.T) {
	for s, ok := range map[string]bool{"0": true, "-0": true, "12.50": true, "007": true, "-383.031": true,
		"": false, "-": false, ".5": false, "5.": false, "+5": false, "1e3": false, "1_000": false, " 1": false, "1.2.3": false,
		strings.Repeat("9", 30): true, strings.Repeat("9", 31): false} {
		require.Equal(t, ok, plainNumber(s, true), "%q", s)
	}
	require.False(t, plainNumber("1.5", false))
}

// FuzzFields reads one record's field as each kind: nothing panics, and a
// number taken prints back as the same value.
func FuzzFields(f *testing.F) {
	for _, s := range []string{"12.50", "-3", "x", "\"a,b\"", "\"\"\"\"", "1e3", "\xff", "9999999999999999999", "-007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		read := func() *Reader { // a fresh record, so that each getter's error is its own
			r, err := NewReader(strings.NewReader("v\n"+field+"\n"), "v")
			require.NoError(t, err)
			if err := r.Next(); err != nil {
				_, ok := errors.AsType[*Error](err)
				require.True(t, ok || err == io.EOF, "%T %v", err, err)
				return nil
			}
			return r
		}
		r := read()
		if r == nil {
			return
		}
		raw := r.raw("v")
		if s := r.Text("v"); r.Err() == nil {
			require.Equal(t, raw, s)
		}
		if r = read(); r.Decimal("v").Valid {
			d := r.Decimal("v").Decimal
			require.True(t, plainNumber(raw, true))
			require.True(t, decimal.RequireFromString(d.String()).Equal(d), "%q prints back as %s", raw, d)
			require.Equal(t, strings.Contains(raw, "."), d.Exponent() < 0)
		}
		if r = read(); r.Int("v") != 0 || r.Err() == nil {
			n, err := strconv.Atoi(raw)
			require.NoError(t, err)
			require.Equal(t, n, r.Int("v"))
		}
	})
}
