package mavencrm

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/csvtable"
	"github.com/goalkit/goalkit/internal/shareddata"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

const (
	teamsCSV    = "sales_agent,manager,regional_office\r\nMoses Frase,Dustin Brinkmann,Central\r\nDarcel Schlecht,Melvin Marxen,Central\r\n"
	productsCSV = "product,series,sales_price\r\nGTX Pro,GTX,4821\r\nGTX Plus Basic,GTX,1096\r\n"
	pipelineCSV = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\r\n" +
		"1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\r\n" +
		"Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Lost,2016-10-25,2017-03-11,0\r\n" +
		"HAXMC4IX,Darcel Schlecht,GTXPro,,Engaging,2017-10-25,,\r\n" +
		"6YLF6TYN,Moses Frase,GTX Plus Basic,,Prospecting,,,\r\n"
)

func TestParse(t *testing.T) {
	teams, err := ParseTeams(strings.NewReader(teamsCSV))
	require.NoError(t, err)
	require.Equal(t, []Team{{"Moses Frase", "Dustin Brinkmann", "Central"}, {"Darcel Schlecht", "Melvin Marxen", "Central"}}, teams)
	products, err := ParseProducts(strings.NewReader(productsCSV))
	require.NoError(t, err)
	require.Len(t, products, 2)
	ds := &Dataset{Teams: teams, Products: products}
	ds.Deals, err = ParsePipeline(strings.NewReader(pipelineCSV), ds)
	require.NoError(t, err)
	require.Equal(t, Deal{ID: "1C1I7A6R", Agent: "Moses Frase", Product: "GTX Plus Basic", Account: "Cancity", Stage: Won,
		Engage: date.New(2016, 10, 20), Close: date.New(2017, 3, 1), Value: decimal.NewNullDecimal(decimal.NewFromInt(1054))}, ds.Deals[0])
	require.Equal(t, Deal{ID: "HAXMC4IX", Agent: "Darcel Schlecht", Product: "GTXPro", Stage: Engaging, Engage: date.New(2017, 10, 25)}, ds.Deals[2])
	require.Equal(t, Deal{ID: "6YLF6TYN", Agent: "Moses Frase", Product: "GTX Plus Basic", Stage: Prospecting}, ds.Deals[3])
	p, ok := ds.Price("GTXPro")
	require.True(t, ok)
	require.Equal(t, "4821", p.String())
	_, ok = ds.Price("GTX Basic")
	require.False(t, ok)
}

// TestParseErrors checks that malformed input is refused with the line and
// the column.
func TestParseErrors(t *testing.T) {
	const head = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\r\n"
	known := &Dataset{Teams: []Team{{"Moses Frase", "M", "O"}}, Products: []Product{{Name: "GTX Pro"}}}
	for _, c := range []struct {
		name, in, want string
		is             error
	}{
		{"empty", "", "line 0: empty input: no header", csvtable.ErrEmpty},
		{"missing column", "opportunity_id,sales_agent\r\nA,B\r\n", `line 1: missing column "product"`, csvtable.ErrMissingColumn},
		{"bad date", head + "A,Moses Frase,GTXPro,,Won,2017-02-30,2017-03-01,1\r\n", `line 2: engage_date "2017-02-30": not a date YYYY-MM-DD`, nil},
		{"unpadded date", head + "A,Moses Frase,GTXPro,,Won,2017-2-3,2017-03-01,1\r\n", `line 2: engage_date "2017-2-3"`, nil},
		{"bad number", head + "A,Moses Frase,GTXPro,,Won,2017-02-03,2017-03-01,1e3\r\n", `line 2: close_value "1e3": not a plain decimal number`, csvtable.ErrNumber},
		{"unknown agent", head + "A,Moses Frase,GTXPro,,Engaging,2017-02-03,,\r\nB,Moses Frass,GTXPro,,Engaging,2017-02-03,,\r\n",
			`line 3: sales_agent "Moses Frass": unknown agent: not in sales_teams.csv`, nil},
		{"unknown product", head + "A,Moses Frase,GTX,,Engaging,2017-02-03,,\r\n", `line 2: product "GTX": unknown product`, nil},
		{"unknown stage", head + "A,Moses Frase,GTXPro,,won,2017-02-03,2017-03-01,1\r\n", `line 2: deal_stage "won": unknown stage`, nil},
		{"duplicate id", head + "A,Moses Frase,GTXPro,,Engaging,2017-02-03,,\r\nA,Moses Frase,GTXPro,,Engaging,2017-02-03,,\r\n", `line 3: opportunity_id "A": duplicate`, csvtable.ErrDuplicate},
		{"open with a close", head + "A,Moses Frase,GTXPro,,Engaging,2017-02-03,2017-03-01,\r\n", `line 2: close_date "2017-03-01": a Engaging deal must have a close_date exactly when it is Won or Lost`, nil},
		{"won without value", head + "A,Moses Frase,GTXPro,,Won,2017-02-03,2017-03-01,\r\n", `line 2: close_value "": a Won deal must have a close_value`, nil},
		{"dated prospect", head + "A,Moses Frase,GTXPro,,Prospecting,2017-02-03,,\r\n", `line 2: engage_date "2017-02-03"`, nil},
		{"closed before engaged", head + "A,Moses Frase,GTXPro,,Lost,2017-02-03,2017-02-02,0\r\n", `line 2: close_date "2017-02-02": before the engage_date 2017-02-03`, nil},
		{"required", head + "A,,GTXPro,,Engaging,2017-02-03,,\r\n", `line 2: sales_agent "": required, but empty`, csvtable.ErrRequired},
		{"field count", head + "A,Moses Frase,GTXPro,,Engaging,2017-02-03,\r\n", "line 2: wrong number of fields", csv.ErrFieldCount},
		{"bare quote", head + "A,Moses \"Frase,GTXPro,,Engaging,2017-02-03,,\r\n", `line 2: bare " in non-quoted-field`, csv.ErrBareQuote},
		{"newline in a name", head + "A,\"Moses\nFrase\",GTXPro,,Engaging,2017-02-03,,\r\n", `line 2: sales_agent "Moses\nFrase": not UTF-8 text`, csvtable.ErrText},
		{"zero date", head + "A,Moses Frase,GTXPro,,Engaging,0001-01-01,,\r\n", `line 2: engage_date "0001-01-01": before 0001-01-02`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePipeline(strings.NewReader(c.in), known)
			require.Error(t, err)
			require.ErrorContains(t, err, c.want)
			if c.is != nil {
				require.ErrorIs(t, err, c.is)
			}
			_, ok := errors.AsType[*csvtable.Error](err)
			require.True(t, ok, "%T", err)
		})
	}
	_, err := ParseTeams(strings.NewReader("sales_agent,manager,regional_office\r\nA,M,O\r\nA,N,O\r\n"))
	require.ErrorContains(t, err, `line 3: sales_agent "A": duplicate`)
	_, err = ParseProducts(strings.NewReader("product,series,sales_price\r\nGTX Pro,GTX,-1\r\n"))
	require.ErrorContains(t, err, `line 2: sales_price "-1": negative price`)
	_, err = ParseProducts(strings.NewReader("product,series,sales_price\r\nGTX Pro,GTX,\r\n"))
	require.ErrorContains(t, err, `line 2: sales_price "": required, but empty`)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	require.ErrorIs(t, err, fs.ErrNotExist)
	pe, ok := errors.AsType[*fs.PathError](err)
	require.True(t, ok)
	require.Equal(t, TeamsFile, filepath.Base(pe.Path), "the teams are read first")

	require.NoError(t, os.WriteFile(filepath.Join(dir, TeamsFile), []byte(teamsCSV), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ProductsFile), []byte(productsCSV), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, PipelineFile), []byte(pipelineCSV+"X,Nobody,GTXPro,,Engaging,2017-01-01,,\r\n"), 0o644))
	_, err = Load(dir)
	require.EqualError(t, err, filepath.Join(dir, PipelineFile)+`:6: sales_agent "Nobody": unknown agent: not in sales_teams.csv`)
}

// TestReal checks the real dataset against SOURCE.md.
func TestReal(t *testing.T) {
	ds, err := Load(shareddata.Require(t, "maven-crm"))
	require.NoError(t, err)
	require.Len(t, ds.Teams, 35)
	require.Len(t, ds.Products, 7)
	require.Len(t, ds.Deals, 8800)
	offices, managers := map[string]bool{}, map[string]bool{}
	for _, tm := range ds.Teams {
		offices[tm.Office], managers[tm.Manager] = true, true
	}
	require.Len(t, offices, 3)
	require.Len(t, managers, 6)

	stages := map[string]int{}
	won := decimal.Zero
	wonBy := map[string]decimal.Decimal{}
	office := map[string]string{}
	for _, tm := range ds.Teams {
		office[tm.Agent] = tm.Office
	}
	var engaged, closed, noAccount, gtxPro int
	minEngage, maxEngage := date.Max(), date.Min()
	minClose, maxClose := date.Max(), date.Min()
	withDeals := map[string]bool{}
	for _, d := range ds.Deals {
		stages[d.Stage]++
		withDeals[d.Agent] = true
		if d.Engage != 0 {
			engaged++
			minEngage, maxEngage = min(minEngage, d.Engage), max(maxEngage, d.Engage)
		}
		if d.Close != 0 {
			closed++
			minClose, maxClose = min(minClose, d.Close), max(maxClose, d.Close)
		}
		switch d.Stage {
		case Won:
			won = won.Add(d.Value.Decimal)
			wonBy[office[d.Agent]] = wonBy[office[d.Agent]].Add(d.Value.Decimal)
		case Lost:
			require.True(t, d.Value.Decimal.IsZero(), "Lost close_value is always 0")
		}
		if d.Account == "" {
			noAccount++
		}
		if d.Product == "GTXPro" {
			gtxPro++
		}
		_, ok := ds.Price(d.Product)
		require.True(t, ok, d.Product)
	}
	require.Equal(t, map[string]int{Won: 4238, Lost: 2473, Engaging: 1589, Prospecting: 500}, stages)
	require.Equal(t, "10005534", won.String())
	require.Equal(t, "3568647", wonBy["West"].String())
	require.Equal(t, "3346293", wonBy["Central"].String())
	require.Equal(t, "3090594", wonBy["East"].String())
	require.Equal(t, "0.6315", decimal.NewFromInt(int64(stages[Won])).DivRound(decimal.NewFromInt(int64(stages[Won]+stages[Lost])), 4).String())
	require.Equal(t, [3]int{8300, 6711, 1425}, [3]int{engaged, closed, noAccount})
	require.Equal(t, 1480, gtxPro)
	require.Equal(t, [4]date.Date{date.New(2016, 10, 20), date.New(2017, 12, 27), date.New(2017, 3, 1), date.New(2017, 12, 31)},
		[4]date.Date{minEngage, maxEngage, minClose, maxClose})
	require.Len(t, withDeals, 30, "five agents have no deals")
}

// ---- fuzzing ----

// write renders rows as CSV (CRLF, as the dataset is distributed).
func write(t testing.TB, header []string, rows [][]string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	require.NoError(t, w.Write(header))
	require.NoError(t, w.WriteAll(rows))
	return b.String()
}

// refused reports whether the input was refused, failing unless it was
// with a *csvtable.Error.
func refused(t *testing.T, err error) bool {
	if _, ok := errors.AsType[*csvtable.Error](err); err != nil && !ok {
		t.Fatalf("%T is not a *csvtable.Error: %v", err, err)
	}
	return err != nil
}

func dateText(d date.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func FuzzParsePipeline(f *testing.F) {
	// With header set, the input gets the file's header line in front, so
	// that the fuzzer spends its time on the records; check checks the
	// agents and products against a known team and product list.
	head, body, _ := strings.Cut(pipelineCSV, "\r\n")
	f.Add(pipelineCSV, true, false)
	f.Add(pipelineCSV, false, false)
	f.Add(body, true, true)
	f.Add(strings.ReplaceAll(pipelineCSV, "\r\n", "\n"), true, false)
	f.Add("\ufeff"+pipelineCSV, false, false)
	f.Add("close_value,deal_stage,close_date,engage_date,account,product,sales_agent,opportunity_id,extra\n1.5,Won,2017-03-01,2017-03-01,\"A, Inc.\",\"GTX \"\"Pro\"\"\",Moses Frase,id,x\n", false, false)
	f.Add("A,Moses Frase,GTXPro,,Won,2017-02-30,2017-03-01,1\r\n", true, true)
	f.Add("A,Moses Frase,GTX Pro,\"Acme, \"\"Inc\"\"\",Lost,2017-02-28,2017-03-01,0.00\nB,x,y,,Prospecting,,,\n", false, true)
	known := &Dataset{Teams: []Team{{"Moses Frase", "M", "O"}, {"Darcel Schlecht", "M", "O"}}, Products: []Product{{Name: "GTX Pro"}, {Name: "GTX Plus Basic"}}}
	f.Fuzz(func(t *testing.T, in string, check, header bool) {
		if header {
			in = head + "\r\n" + in
		}
		k := known
		if !check {
			k = nil
		}
		deals, err := ParsePipeline(strings.NewReader(in), k)
		if refused(t, err) {
			return
		}
		// What is accepted keeps its promises, and writing it back reads the same.
		rows := make([][]string, len(deals))
		for i, d := range deals {
			closed := d.Stage == Won || d.Stage == Lost
			require.Equal(t, d.Stage != Prospecting, d.Engage != 0)
			require.Equal(t, closed, d.Close != 0)
			require.Equal(t, closed, d.Value.Valid)
			require.True(t, !closed || d.Close >= d.Engage)
			value := ""
			if d.Value.Valid {
				value = d.Value.Decimal.String()
			}
			rows[i] = []string{d.ID, d.Agent, d.Product, d.Account, d.Stage, dateText(d.Engage), dateText(d.Close), value}
		}
		again, err := ParsePipeline(strings.NewReader(write(t, []string{"opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"}, rows)), k)
		require.NoError(t, err)
		require.Len(t, again, len(deals))
		for i := range deals {
			a, b := deals[i], again[i]
			require.True(t, a.Value.Decimal.Equal(b.Value.Decimal), "%s vs %s", a.Value.Decimal, b.Value.Decimal)
			a.Value.Decimal, b.Value.Decimal = decimal.Zero, decimal.Zero
			require.Equal(t, a, b)
		}
	})
}

func FuzzParseTeams(f *testing.F) {
	f.Add(teamsCSV)
	f.Add("regional_office,sales_agent,manager\n\"West, coast\",\"A \"\"B\"\"\",C\n")
	f.Add("sales_agent,manager,regional_office\r\nA,M,O\r\nA,N,O\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		teams, err := ParseTeams(strings.NewReader(in))
		if refused(t, err) {
			return
		}
		rows := make([][]string, len(teams))
		for i, tm := range teams {
			rows[i] = []string{tm.Agent, tm.Manager, tm.Office}
		}
		again, err := ParseTeams(strings.NewReader(write(t, []string{"sales_agent", "manager", "regional_office"}, rows)))
		require.NoError(t, err)
		require.Equal(t, teams, again)
	})
}

func FuzzParseProducts(f *testing.F) {
	f.Add(productsCSV)
	f.Add("sales_price,product,series\n0.50,\"GTX, Pro\",\n")
	f.Fuzz(func(t *testing.T, in string) {
		products, err := ParseProducts(strings.NewReader(in))
		if refused(t, err) {
			return
		}
		rows := make([][]string, len(products))
		for i, p := range products {
			require.False(t, p.Price.IsNegative())
			rows[i] = []string{p.Name, p.Series, p.Price.String()}
		}
		again, err := ParseProducts(strings.NewReader(write(t, []string{"product", "series", "sales_price"}, rows)))
		require.NoError(t, err)
		require.Len(t, again, len(products))
		for i := range products {
			require.True(t, products[i].Price.Equal(again[i].Price))
			require.Equal(t, [2]string{products[i].Name, products[i].Series}, [2]string{again[i].Name, again[i].Series})
		}
	})
}
