package apicheck

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/exp/apidiff"
)

const root = "../.."

const fix = "if the change is meant, run `go run ./internal/cmd/apicheck -w` and list incompatible changes in CHANGELOG.md under ## [Unreleased]"

// TestAPIMatchesRecord is the gate: the exported API equals the committed
// record, so every API change is reviewed in the commit that makes it.
func TestAPIMatchesRecord(t *testing.T) {
	fset := token.NewFileSet()
	cur, err := Load(fset, root)
	require.NoError(t, err)
	old, err := Read(token.NewFileSet(), filepath.Join(root, ExportFile))
	require.NoError(t, err, fix)
	require.Empty(t, Incompatible(old, cur), "incompatible API changes since the record; "+fix)
	require.Empty(t, Compatible(old, cur), "API additions since the record; "+fix)
	text, err := os.ReadFile(filepath.Join(root, TextFile))
	require.NoError(t, err, fix)
	require.Equal(t, string(text), Text(cur), "api/goalkit.txt is stale; "+fix)
}

// TestChangelogHasUnreleased: incompatible changes are listed under an
// Unreleased heading (Keep a Changelog).
func TestChangelogHasUnreleased(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	require.NoError(t, err)
	require.Contains(t, string(b), "## [Unreleased]")
}

// TestGateCatchesIncompatibleChange makes a deliberately incompatible change
// (a removed function, a field whose type changed) and a compatible one (an
// added function), and checks the gate tells them apart through a record
// written and read back.
func TestGateCatchesIncompatibleChange(t *testing.T) {
	fset := token.NewFileSet()
	old := module(t, fset, `package p
func F(x int) int { return x }
type T struct{ A int }
`)
	path := filepath.Join(t.TempDir(), "api.x")
	require.NoError(t, Write(fset, old, path))
	recorded, err := Read(token.NewFileSet(), path)
	require.NoError(t, err)

	broken := module(t, token.NewFileSet(), `package p
type T struct{ A string }
`)
	inc := Incompatible(recorded, broken)
	require.Len(t, inc, 2, "%v", inc)
	require.True(t, strings.Contains(strings.Join(inc, "\n"), "F: removed"), "%v", inc)
	require.True(t, strings.Contains(strings.Join(inc, "\n"), "T.A: changed from int to string"), "%v", inc)

	grown := module(t, token.NewFileSet(), `package p
func F(x int) int { return x }
func G() {}
type T struct{ A int }
`)
	require.Empty(t, Incompatible(recorded, grown))
	require.Equal(t, []string{"./p.G: added"}, Compatible(recorded, grown))
	require.Empty(t, Compatible(recorded, old))
}

func TestText(t *testing.T) {
	m := module(t, token.NewFileSet(), `package p
type T struct{ A int }
func (T) M() {}
func (*T) N() {}
func f() {}
`)
	require.Equal(t, "example.com/m/p: func (*T).N()\n"+
		"example.com/m/p: func (T).M()\n"+
		"example.com/m/p: type T struct{A int}\n", Text(m))
}

// module type-checks src as the only package of module example.com/m.
func module(t *testing.T, fset *token.FileSet, src string) *apidiff.Module {
	t.Helper()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	require.NoError(t, err)
	conf := types.Config{Importer: importer.Default()}
	p, err := conf.Check("example.com/m/p", fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	return &apidiff.Module{Path: "example.com/m", Packages: []*types.Package{p}}
}
