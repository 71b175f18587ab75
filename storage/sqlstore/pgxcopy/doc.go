// Package pgxcopy is sqlstore's COPY path for hosts whose *sql.DB runs on
// github.com/jackc/pgx/v5/stdlib: with Config.Copier set to Copier{}, a
// PostgreSQL store loads each AppendFacts batch of new facts with COPY
// instead of an INSERT of array parameters. Everything else about the
// store is unchanged; see sqlstore.Copier.
//
//	db, _ := sql.Open("pgx", dsn)
//	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", Copier: pgxcopy.Copier{}})
package pgxcopy
