package shareddata

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRepoRoot(t *testing.T) {
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "checkout")
	deep := filepath.Join(repo, "a", "b")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	// A go.mod of another module on the way up is not the root.
	require.NoError(t, os.WriteFile(filepath.Join(repo, "a", "go.mod"), []byte("module example.com/other\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "go.mod"), []byte("// comment\nmodule "+Module+"\n\ngo 1.26\n"), 0o644))
	root, err := repoRoot(deep)
	require.NoError(t, err)
	require.Equal(t, repo, root)

	_, err = repoRoot(tmp)
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestDir(t *testing.T) {
	dir, err := Dir("no-such-dataset")
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.Equal(t, "no-such-dataset", filepath.Base(dir))
	require.Equal(t, filepath.Join("shared", "data"), filepath.Join(filepath.Base(filepath.Dir(filepath.Dir(dir))), filepath.Base(filepath.Dir(dir))))

	// The datasets the tests use, when the checkout has them beside it.
	for _, name := range []string{"maven-crm", "superstore"} {
		dir, err := Dir(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		_, err = os.Stat(filepath.Join(dir, "SOURCE.md"))
		require.NoError(t, err, name)
	}
}

func TestRequireSkips(t *testing.T) {
	ran := false
	t.Run("absent", func(t *testing.T) {
		Require(t, "no-such-dataset")
		ran = true
	})
	require.False(t, ran, "Require skips when the dataset is absent")
}
