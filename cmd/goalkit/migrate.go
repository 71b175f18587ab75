package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	var d dbFlags
	fs := newFlags(e, "migrate", "[flags]", "Create the goalkit tables in the database, or bring them up to date. Safe to run on every\ndeploy and from several machines at once. The config file is not needed.")
	d.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("migrate takes no arguments, got %q", pos)
	}
	s, db, err := d.openStore(d.tenantOr(""))
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := s.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("%w; check that the database is reachable and the user may create tables", err)
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s)\n", n)
	return nil
}
