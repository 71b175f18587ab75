// Package mavencrm loads the Maven Analytics "CRM + Sales + Opportunities"
// dataset (shared/data/maven-crm, see its SOURCE.md) into plain typed rows:
// sales teams, products and the sales pipeline, checked as they are read.
//
// It returns strings, dates and decimals only, so that any package's tests
// (funnel, kpi, goal) can use it without an import cycle.
package mavencrm

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/csvtable"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The files Load reads.
const (
	TeamsFile    = "sales_teams.csv"
	ProductsFile = "products.csv"
	PipelineFile = "sales_pipeline.csv"
)

// The deal stages of the pipeline.
const (
	Prospecting = "Prospecting"
	Engaging    = "Engaging"
	Won         = "Won"
	Lost        = "Lost"
)

// Team is a row of sales_teams.csv: an agent, the manager and the regional
// office.
type Team struct {
	Agent, Manager, Office string
}

// Product is a row of products.csv.
type Product struct {
	Name, Series string
	Price        decimal.Decimal // list price
}

// Deal is a row of sales_pipeline.csv. Every deal but a Prospecting one has
// an Engage date; Won and Lost deals, and only they, have a Close date (on or
// after Engage) and a Value.
type Deal struct {
	ID, Agent, Product, Account, Stage string
	Engage, Close                      date.Date // zero when empty
	Value                              decimal.NullDecimal
}

// Dataset is what Load reads, in file order.
type Dataset struct {
	Teams    []Team
	Products []Product
	Deals    []Deal
}

// ProductKey is a product name with its spaces removed: the pipeline says
// "GTXPro" where products.csv says "GTX Pro".
func ProductKey(name string) string { return strings.ReplaceAll(name, " ", "") }

// Price is the list price of the product, matched by [ProductKey].
func (ds *Dataset) Price(product string) (decimal.Decimal, bool) {
	k := ProductKey(product)
	for _, p := range ds.Products {
		if ProductKey(p.Name) == k {
			return p.Price, true
		}
	}
	return decimal.Decimal{}, false
}

// Load reads sales_teams.csv, products.csv and sales_pipeline.csv from dir,
// in that order, and checks that every deal names a known agent and product.
// A missing file is an error wrapping fs.ErrNotExist (an *fs.PathError
// naming it); malformed input is a *csvtable.Error naming the file, line and
// column.
func Load(dir string) (*Dataset, error) {
	ds := &Dataset{}
	var err error
	if ds.Teams, err = csvtable.ReadFile(filepath.Join(dir, TeamsFile), ParseTeams); err != nil {
		return nil, err
	}
	if ds.Products, err = csvtable.ReadFile(filepath.Join(dir, ProductsFile), ParseProducts); err != nil {
		return nil, err
	}
	pipeline := func(r io.Reader) ([]Deal, error) { return ParsePipeline(r, ds) }
	if ds.Deals, err = csvtable.ReadFile(filepath.Join(dir, PipelineFile), pipeline); err != nil {
		return nil, err
	}
	return ds, nil
}

// ParseTeams reads sales_teams.csv: sales_agent, manager, regional_office,
// all required, each agent once.
func ParseTeams(r io.Reader) ([]Team, error) {
	seen := map[string]bool{}
	return csvtable.Read(r, []string{"sales_agent", "manager", "regional_office"}, func(t *csvtable.Reader) Team {
		tm := Team{Agent: t.Required("sales_agent"), Manager: t.Required("manager"), Office: t.Required("regional_office")}
		if seen[tm.Agent] {
			t.Fail("sales_agent", csvtable.ErrDuplicate)
		}
		seen[tm.Agent] = true
		return tm
	})
}

// ParseProducts reads products.csv: product (required, once by
// [ProductKey]), series, sales_price (required, not negative).
func ParseProducts(r io.Reader) ([]Product, error) {
	seen := map[string]bool{}
	return csvtable.Read(r, []string{"product", "series", "sales_price"}, func(t *csvtable.Reader) Product {
		p := Product{Name: t.Required("product"), Series: t.Text("series")}
		if seen[ProductKey(p.Name)] {
			t.Fail("product", csvtable.ErrDuplicate)
		}
		seen[ProductKey(p.Name)] = true
		price := t.Decimal("sales_price")
		switch {
		case t.Err() != nil:
		case !price.Valid:
			t.Fail("sales_price", csvtable.ErrRequired)
		case price.Decimal.IsNegative():
			t.Fail("sales_price", errors.New("negative price"))
		}
		p.Price = price.Decimal
		return p
	})
}

// ParsePipeline reads sales_pipeline.csv: opportunity_id (required, once),
// sales_agent, product, account, deal_stage, engage_date, close_date
// (YYYY-MM-DD or empty) and close_value (a plain number, not negative, or
// empty). It checks what [Deal] promises: the stage is one of the four, a
// deal has an engage_date unless it is Prospecting, and a close_date and a
// close_value exactly when it is Won or Lost, closing on or after it engaged.
//
// When known is not nil, every deal's agent must be in known.Teams and its
// product in known.Products (by [ProductKey]).
func ParsePipeline(r io.Reader, known *Dataset) ([]Deal, error) {
	var agents, products map[string]bool
	if known != nil {
		agents, products = map[string]bool{}, map[string]bool{}
		for _, tm := range known.Teams {
			agents[tm.Agent] = true
		}
		for _, p := range known.Products {
			products[ProductKey(p.Name)] = true
		}
	}
	seen := map[string]bool{}
	columns := []string{"opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"}
	return csvtable.Read(r, columns, func(t *csvtable.Reader) Deal {
		d := Deal{
			ID:      t.Required("opportunity_id"),
			Agent:   t.Required("sales_agent"),
			Product: t.Required("product"),
			Account: t.Text("account"),
			Stage:   t.Required("deal_stage"),
			Engage:  csvtable.Field(t, "engage_date", parseDate),
			Close:   csvtable.Field(t, "close_date", parseDate),
			Value:   t.Decimal("close_value"),
		}
		if t.Err() == nil {
			check(t, d, seen, agents, products)
		}
		seen[d.ID] = true
		return d
	})
}

// check records the first inconsistency of a well-formed deal.
func check(t *csvtable.Reader, d Deal, seen, agents, products map[string]bool) {
	closed := d.Stage == Won || d.Stage == Lost
	switch {
	case seen[d.ID]:
		t.Fail("opportunity_id", csvtable.ErrDuplicate)
	case agents != nil && !agents[d.Agent]:
		t.Fail("sales_agent", fmt.Errorf("unknown agent: not in %s", TeamsFile))
	case products != nil && !products[ProductKey(d.Product)]:
		t.Fail("product", fmt.Errorf("unknown product: not in %s", ProductsFile))
	case !closed && d.Stage != Engaging && d.Stage != Prospecting:
		t.Fail("deal_stage", fmt.Errorf("unknown stage: not %s, %s, %s or %s", Prospecting, Engaging, Won, Lost))
	case (d.Engage == 0) != (d.Stage == Prospecting):
		t.Fail("engage_date", fmt.Errorf("a %s deal must have an engage_date exactly when it is not %s", d.Stage, Prospecting))
	case (d.Close != 0) != closed:
		t.Fail("close_date", fmt.Errorf("a %s deal must have a close_date exactly when it is %s or %s", d.Stage, Won, Lost))
	case d.Value.Valid != closed:
		t.Fail("close_value", fmt.Errorf("a %s deal must have a close_value exactly when it is %s or %s", d.Stage, Won, Lost))
	case closed && d.Close < d.Engage:
		t.Fail("close_date", fmt.Errorf("before the engage_date %s", d.Engage))
	case d.Value.Valid && d.Value.Decimal.IsNegative():
		t.Fail("close_value", errors.New("negative value"))
	}
}

// parseDate reads YYYY-MM-DD; empty is the zero date. 0001-01-01, the zero
// date itself, is refused: it could not be told from an empty field.
func parseDate(s string) (date.Date, error) {
	if s == "" {
		return 0, nil
	}
	tm, err := time.Parse(time.DateOnly, s)
	if err != nil || tm.Format(time.DateOnly) != s {
		return 0, errors.New("not a date YYYY-MM-DD")
	}
	d := date.NewAt(tm)
	if d <= date.Zero {
		return 0, errors.New("before 0001-01-02 (0001-01-01 stands for an empty date)")
	}
	return d, nil
}
