// Package shareddata finds the real datasets the team keeps beside the
// repository, in <repo>/../shared/data/<name> (each with a SOURCE.md). They
// are not redistributed with goalkit, so tests that use them skip without
// them: see [Require].
//
// The package imports "testing" for [Require]. Only tests import it, and
// since Go 1.13 importing "testing" registers no flags, so a command that
// used [Dir] would not change its flags either.
package shareddata

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Module is the module path whose go.mod marks the repository root.
const Module = "github.com/goalkit/goalkit"

// Dir returns <repo>/../shared/data/<name>, where <repo> is the nearest
// directory at or above the working directory holding the go.mod of
// [Module]. The error wraps [fs.ErrNotExist] when that folder is absent.
func Dir(name string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, err := repoRoot(wd)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "data", name)
	st, err := os.Stat(dir)
	if err != nil {
		return dir, fmt.Errorf("shared dataset %q: %w", name, err)
	}
	if !st.IsDir() {
		return dir, fmt.Errorf("shared dataset %q: %s is not a directory", name, dir)
	}
	return dir, nil
}

// repoRoot walks up from dir to the directory whose go.mod declares Module.
func repoRoot(dir string) (string, error) {
	for d := dir; ; {
		if isRoot(filepath.Join(d, "go.mod")) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod of module %s at or above %s: %w", Module, dir, fs.ErrNotExist)
		}
		d = parent
	}
}

// isRoot reports whether the go.mod at path declares Module.
func isRoot(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if mod, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module"); ok {
			return strings.Trim(strings.TrimSpace(mod), `"`) == Module
		}
	}
	return false
}

// Require returns the folder of the shared dataset name, or skips the test
// when it is absent. Any other failure to look (an unreadable folder, a file
// where the folder should be) fails the test.
func Require(t testing.TB, name string) string {
	t.Helper()
	dir, err := Dir(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if dir == "" { // no repository root above the working directory
			t.Skipf("shared dataset %q not found at <repo>/../shared/data/%s (%v); tests that use real data skip without it", name, name, err)
		}
		t.Skipf("shared dataset %q not found at %s; tests that use real data skip without it", name, dir)
	case err != nil:
		t.Fatal(err)
	}
	return dir
}
