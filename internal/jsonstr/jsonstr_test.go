package jsonstr

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\c`, "<&>", "日本", "\x00\x7f", "\u2028\u2029", "bad\xffutf8", "tab\tnl\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(Append([]byte("x"), s))[1:])
	})
}
