// Command apicheck compares goalkit's exported API with the record under
// api/ and, with -w, writes a new record. Run it from the module root:
//
//	go run ./internal/cmd/apicheck      # report changes since the record
//	go run ./internal/cmd/apicheck -w   # accept them: rewrite api/
//
// An incompatible change must also be listed in CHANGELOG.md under
// "## [Unreleased]"; -w prints the lines to copy there.
package main

import (
	"flag"
	"fmt"
	"go/token"
	"os"

	"github.com/goalkit/goalkit/internal/apicheck"
)

func main() {
	write := flag.Bool("w", false, "rewrite the API record under api/")
	flag.Parse()
	if err := run(*write); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(write bool) error {
	fset := token.NewFileSet()
	cur, err := apicheck.Load(fset, ".")
	if err != nil {
		return err
	}
	var incompatible, compatible []string
	if old, err := apicheck.Read(token.NewFileSet(), apicheck.ExportFile); err == nil {
		incompatible = apicheck.Incompatible(old, cur)
		compatible = apicheck.Compatible(old, cur)
	} else if !write {
		return err
	}
	for _, m := range incompatible {
		fmt.Println("incompatible:", m)
	}
	for _, m := range compatible {
		fmt.Println("compatible:", m)
	}
	if !write {
		if len(incompatible)+len(compatible) > 0 {
			return fmt.Errorf("apicheck: the API differs from %s; run with -w to accept, and list incompatible changes in CHANGELOG.md", apicheck.ExportFile)
		}
		return nil
	}
	if err := apicheck.Write(fset, cur, apicheck.ExportFile); err != nil {
		return err
	}
	return os.WriteFile(apicheck.TextFile, []byte(apicheck.Text(cur)), 0o644)
}
