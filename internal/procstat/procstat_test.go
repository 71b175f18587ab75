package procstat

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCPUTimeGrows(t *testing.T) {
	before := CPUTime()
	x := 0
	for i := range 20_000_000 {
		x += i
	}
	runtime.KeepAlive(x)
	require.Greater(t, CPUTime(), before)
}

func TestPeakRSS(t *testing.T) {
	got := PeakRSS()
	if runtime.GOOS != "linux" {
		require.Equal(t, "n/a", got)
		return
	}
	require.True(t, strings.HasSuffix(got, "kB"), got)
}
