// Package apicheck is goalkit's API-compatibility gate. It loads the exported
// API of every public package of the module (internal packages and commands
// excluded), compares it with the record committed under api/ using
// golang.org/x/exp/apidiff, and writes a new record when a change is meant.
//
// The record is two files: api/goalkit.x, the packages' export data (what
// apidiff compares), and api/goalkit.txt, the same API as sorted text, so a
// reviewer sees in the diff what changed.
package apicheck

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Record file names, relative to the module root.
const (
	ExportFile = "api/goalkit.x"
	TextFile   = "api/goalkit.txt"
)

// Load type-checks the public packages of the module rooted at dir.
func Load(fset *token.FileSet, dir string) (*apidiff.Module, error) {
	cfg := &packages.Config{
		Dir:  dir,
		Fset: fset,
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedModule,
	}
	loaded, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, fmt.Errorf("apicheck: load %s: %w", dir, err)
	}
	var (
		mod  apidiff.Module
		errs []error
	)
	for _, p := range loaded {
		for _, e := range p.Errors {
			errs = append(errs, e)
		}
		if p.Module == nil || p.Name == "main" || internal(p.PkgPath, p.Module.Path) {
			continue
		}
		mod.Path = p.Module.Path
		mod.Packages = append(mod.Packages, p.Types)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("apicheck: load %s: %w", dir, errors.Join(errs...))
	}
	if mod.Path == "" {
		return nil, fmt.Errorf("apicheck: load %s: no public packages found", dir)
	}
	slices.SortFunc(mod.Packages, func(a, b *types.Package) int { return strings.Compare(a.Path(), b.Path()) })
	return &mod, nil
}

// internal reports whether pkgPath is an internal package of the module.
func internal(pkgPath, modPath string) bool {
	rel := strings.TrimPrefix(pkgPath, modPath)
	return rel == "/internal" || strings.HasPrefix(rel, "/internal/") || strings.Contains(rel, "/internal/") || strings.HasSuffix(rel, "/internal")
}

// Incompatible returns apidiff's incompatible changes from old to new, one
// message each, sorted; empty when new can replace old.
func Incompatible(old, new *apidiff.Module) []string {
	return messages(apidiff.ModuleChanges(old, new), false)
}

// Compatible returns the compatible changes (additions) from old to new.
func Compatible(old, new *apidiff.Module) []string {
	return messages(apidiff.ModuleChanges(old, new), true)
}

func messages(r apidiff.Report, compatible bool) []string {
	var out []string
	for _, c := range r.Changes {
		if c.Compatible == compatible {
			out = append(out, c.Message)
		}
	}
	slices.Sort(out)
	return out
}

// Write stores m's export data at path: a zip whose entry "module" holds the
// module path and each other entry, named <package path>.x, one package.
func Write(fset *token.FileSet, m *apidiff.Module, path string) (err error) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	entry, err := w.Create("module")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(entry, m.Path); err != nil {
		return err
	}
	for _, p := range m.Packages {
		entry, err := w.Create(p.Path() + ".x")
		if err != nil {
			return err
		}
		if err := gcexportdata.Write(entry, fset, p); err != nil {
			return fmt.Errorf("apicheck: write %s: %w", p.Path(), err)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Read loads a record written by Write.
func Read(fset *token.FileSet, path string) (*apidiff.Module, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("apicheck: read the API record: %w", err)
	}
	defer z.Close()
	var m apidiff.Module
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, err
		}
		if f.Name == "module" {
			m.Path = string(data)
			continue
		}
		pkgPath, ok := strings.CutSuffix(f.Name, ".x")
		if !ok {
			return nil, fmt.Errorf("apicheck: read %s: unexpected entry %q", path, f.Name)
		}
		p, err := gcexportdata.Read(bytes.NewReader(data), fset, map[string]*types.Package{}, pkgPath)
		if err != nil {
			return nil, fmt.Errorf("apicheck: read %s: %s: %w", path, pkgPath, err)
		}
		m.Packages = append(m.Packages, p)
	}
	if m.Path == "" {
		return nil, fmt.Errorf("apicheck: read %s: no module entry", path)
	}
	return &m, nil
}

// Text renders m's exported API as sorted lines, one declaration (or
// method) a line, prefixed by its package path.
func Text(m *apidiff.Module) string {
	var lines []string
	for _, p := range m.Packages {
		q := types.RelativeTo(p)
		s := p.Scope()
		for _, name := range s.Names() {
			obj := s.Lookup(name)
			if !obj.Exported() {
				continue
			}
			lines = append(lines, p.Path()+": "+types.ObjectString(obj, q))
			tn, ok := obj.(*types.TypeName)
			if !ok {
				continue
			}
			ms := types.NewMethodSet(types.NewPointer(tn.Type()))
			if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
				continue // the interface's methods are in its declaration
			}
			for i := range ms.Len() {
				f := ms.At(i).Obj()
				if f.Exported() {
					lines = append(lines, p.Path()+": "+types.ObjectString(f, q))
				}
			}
		}
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	return strings.Join(lines, "\n") + "\n"
}
