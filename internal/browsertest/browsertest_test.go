package browsertest

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// tb records what Find asks of a test instead of ending it.
type tb struct {
	testing.TB
	skipped, failed string
}

func (t *tb) Helper()             {}
func (t *tb) Skip(args ...any)    { t.skipped = args[0].(string) }
func (t *tb) Fatal(args ...any)   { t.failed = args[0].(string) }
func (t *tb) TempDir() string     { return "" }
func (t *tb) Cleanup(f func())    {}
func (t *tb) Logf(string, ...any) {}

// TestFindWithoutBrowser: with no browser on PATH, Find skips with a
// message saying what to install, and fails instead under CI=true.
func TestFindWithoutBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("GOALKIT_CHROMIUM", "")

	t.Setenv("CI", "")
	var local tb
	require.Empty(t, Find(&local))
	require.Contains(t, local.skipped, "apt-get install chromium fonts-wqy-zenhei")
	require.Empty(t, local.failed)

	t.Setenv("CI", "true")
	var ci tb
	require.Empty(t, Find(&ci))
	require.Contains(t, ci.failed, "browser test in CI")
	require.Empty(t, ci.skipped)
}
