// Package superstore loads Tableau's "Sample - Superstore" order lines
// (shared/data/superstore/superstore.csv, see its SOURCE.md: UTF-8 with a
// BOM, M/D/YYYY dates, quoted fields) into typed rows, checked as they are
// read.
//
// It returns strings, dates and decimals only, so that any package's tests
// can use it without an import cycle.
package superstore

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/csvtable"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// File is the file Load reads.
const File = "superstore.csv"

// Row is one order line.
type Row struct {
	RowID                              int
	OrderID                            string
	OrderDate, ShipDate                date.Date
	ShipMode, CustomerID, CustomerName string
	Segment, Country, City, State      string
	PostalCode, Region                 string // PostalCode may be empty
	ProductID, Category, SubCategory   string
	ProductName                        string
	Sales                              decimal.Decimal
	Quantity                           int
	Discount, Profit                   decimal.Decimal
}

// Columns is the header, in the file's order.
var Columns = []string{"Row ID", "Order ID", "Order Date", "Ship Date", "Ship Mode", "Customer ID", "Customer Name",
	"Segment", "Country", "City", "State", "Postal Code", "Region", "Product ID", "Category", "Sub-Category",
	"Product Name", "Sales", "Quantity", "Discount", "Profit"}

// Load reads dir/superstore.csv. A missing file is an error wrapping
// fs.ErrNotExist; malformed input is a *csvtable.Error naming the file, line
// and column.
func Load(dir string) ([]Row, error) {
	return csvtable.ReadFile(filepath.Join(dir, File), Parse)
}

// Parse reads the order lines: every column of [Columns] must be in the
// header, in any order. Row ID is a positive whole number, once per file;
// Order ID, Region, State and the numbers are required; the dates are
// M/D/YYYY (zero padding optional); Sales is not negative, Quantity
// positive, Discount between 0 and 1. Other text may be empty.
func Parse(r io.Reader) ([]Row, error) {
	seen := map[int]bool{}
	return csvtable.Read(r, Columns, func(t *csvtable.Reader) Row {
		row := Row{
			RowID:        t.Int("Row ID"),
			OrderID:      t.Required("Order ID"),
			OrderDate:    csvtable.Field(t, "Order Date", parseDate),
			ShipDate:     csvtable.Field(t, "Ship Date", parseDate),
			ShipMode:     t.Text("Ship Mode"),
			CustomerID:   t.Text("Customer ID"),
			CustomerName: t.Text("Customer Name"),
			Segment:      t.Text("Segment"),
			Country:      t.Text("Country"),
			City:         t.Text("City"),
			State:        t.Required("State"),
			PostalCode:   t.Text("Postal Code"),
			Region:       t.Required("Region"),
			ProductID:    t.Text("Product ID"),
			Category:     t.Text("Category"),
			SubCategory:  t.Text("Sub-Category"),
			ProductName:  t.Text("Product Name"),
			Sales:        required(t, "Sales"),
			Quantity:     t.Int("Quantity"),
			Discount:     required(t, "Discount"),
			Profit:       required(t, "Profit"),
		}
		if t.Err() == nil {
			switch {
			case row.RowID <= 0:
				t.Fail("Row ID", errors.New("not positive"))
			case seen[row.RowID]:
				t.Fail("Row ID", csvtable.ErrDuplicate)
			case row.Sales.IsNegative():
				t.Fail("Sales", errors.New("negative"))
			case row.Quantity <= 0:
				t.Fail("Quantity", errors.New("not positive"))
			case row.Discount.IsNegative() || row.Discount.GreaterThan(decimal.NewFromInt(1)):
				t.Fail("Discount", errors.New("not between 0 and 1"))
			}
		}
		seen[row.RowID] = true
		return row
	})
}

func required(t *csvtable.Reader, col string) decimal.Decimal {
	v := t.Decimal(col)
	if !v.Valid && t.Err() == nil {
		t.Fail(col, csvtable.ErrRequired)
	}
	return v.Decimal
}

// parseDate reads M/D/YYYY ("11/8/2018"; "11/08/2018" too).
func parseDate(s string) (date.Date, error) {
	bad := errors.New("not a date M/D/YYYY")
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return 0, bad
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 4 || strings.Trim(p, "0123456789") != "" {
			return 0, bad
		}
		n[i], _ = strconv.Atoi(p)
	}
	m, d, y := n[0], n[1], n[2]
	if len(parts[0]) > 2 || len(parts[1]) > 2 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, bad
	}
	if t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC); t.Day() != d {
		return 0, fmt.Errorf("%w: %s has no day %d", bad, time.Month(m), d)
	}
	return date.New(y, time.Month(m), d), nil
}
