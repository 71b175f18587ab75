package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	_ "modernc.org/sqlite"
)

// Keep goalkit's data in a SQLite file beside the host's own tables.
func Example_sqlite() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "goalkit-example")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "crm.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()

	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme", TablePrefix: "goalkit_"})
	if err != nil {
		panic(err)
	}
	applied, err := s.Migrate(ctx)
	fmt.Println("migrations applied:", applied, err)

	// A 20-digit amount survives exactly; a split deal never loses a cent.
	day := date.New(2026, 6, 30)
	_, err = s.AppendFacts(ctx, []kpi.Fact{
		{Key: "big", Metric: "revenue", Unit: "ann", Date: day, Value: decimal.RequireFromString("12345678901234567.89")},
		{Key: "split", Metric: "revenue", Date: day, Value: decimal.RequireFromString("100.00"),
			Credits: []kpi.Credit{{Unit: "ann", Share: decimal.RequireFromString("0.5")}, {Unit: "bob", Share: decimal.RequireFromString("0.5")}}},
	})
	fmt.Println(err)
	tots, _ := s.SumMany(ctx, []storage.Query{
		{Metric: "revenue", Unit: "ann", Start: date.New(2026, 6, 1), End: date.New(2026, 7, 1)},
		{Metric: "revenue", Unit: "bob", Start: date.New(2026, 6, 1), End: date.New(2026, 7, 1)},
		{Metric: "revenue", Unit: "ann", Start: date.New(2026, 7, 1), End: date.New(2026, 8, 1)},
	})
	for _, t := range tots {
		fmt.Println(t.Value.StringFixed(2), t.Count)
	}
	// Output:
	// migrations applied: 1 <nil>
	// <nil>
	// 12345678901234617.89 1.5
	// 50.00 0.5
	// 0.00 0
}
