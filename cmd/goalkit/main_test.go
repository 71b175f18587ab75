package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// goalkitCmd runs the command in-process in dir and returns its exit code,
// stdout and stderr.
func goalkitCmd(t testing.TB, dir string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const (
	config = `{"tenant": "acme", "metrics": [{"key": "revenue", "name": "Revenue", "kind": "amount", "currency": "CNY", "places": 2}]}`
	org    = "id,parent,kind,name\nco,,company,Acme\nnorth,co,region,North\nli,north,rep,Li\nwang,north,rep,Wang\n"
	plan   = `plan,id,parent,metric,unit,grain,start,end,label,target
fy,co/2026,,revenue,co,year,2026-01-01,2027-01-01,2026,1000.00
fy,north/2026,co/2026,revenue,north,year,2026-01-01,2027-01-01,2026,1000.00
fy,li/2026,north/2026,revenue,li,year,2026-01-01,2027-01-01,2026,600.00
fy,wang/2026,north/2026,revenue,wang,year,2026-01-01,2027-01-01,2026,400.00
fy,li/2026-H1,li/2026,revenue,li,half,2026-01-01,2026-07-01,2026-H1,300.00
fy,li/2026-H2,li/2026,revenue,li,half,2026-07-01,2027-01-01,2026-H2,300.00
`
	facts = "key,metric,unit,date,value\ninv1,revenue,li,2026-02-01,150.00\ninv2,revenue,wang,2026-03-01,100.00\n"
)

// workspace is a directory with the config and the input files.
func workspace(t testing.TB) string {
	dir := t.TempDir()
	for name, text := range map[string]string{"goalkit.json": config, "org.csv": org, "plan.csv": plan, "facts.csv": facts} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	return dir
}

// databases are the --db and --dsn flags of a fresh database of each kind.
var databases = []struct {
	name  string
	flags func(t *testing.T) []string
}{
	{"sqlite", func(t *testing.T) []string { return []string{"--db", filepath.Join(t.TempDir(), "goalkit.db")} }},
	{"postgres", func(t *testing.T) []string {
		dsn, drop, err := sqltest.Schema(context.Background(), sqltest.DSN(t), "goalkit_cmd_")
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, drop()) })
		return []string{"--dsn", dsn}
	}},
}

// TestWorkflow runs what an operator does: migrate, import the org, a plan
// and facts, read the status, round-trip the plan through a workbook with
// an edit, evaluate and report.
func TestWorkflow(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			dir := workspace(t)
			flags := db.flags(t)
			do := func(args ...string) string {
				t.Helper()
				code, out, errOut := goalkitCmd(t, dir, append(args, flags...)...)
				require.Equal(t, exitOK, code, "goalkit %s: %s", strings.Join(args, " "), errOut)
				return out
			}
			require.Regexp(t, `^applied \d+ migration\(s\)`, do("migrate"))
			require.Contains(t, do("import", "units", "org.csv"), "org.csv: 4 rows, imported 4")
			require.Contains(t, do("import", "plans", "plan.csv", "--actor", "ops"), "plan.csv: 6 rows, imported 6")
			require.Contains(t, do("import", "facts", "facts.csv", "--progress"), "facts.csv: 2 rows, imported 2, 0 unchanged, 0 rejected")
			require.Contains(t, do("import", "facts", "facts.csv"), "imported 0, 2 unchanged", "facts are idempotent by key")

			status := do("status", "--plan", "fy", "--as-of", "2026-03-31")
			require.Regexp(t, `li\s+2026-H1\s+300.00\s+150.00\s+50\.0%`, status)
			require.Regexp(t, `north\s+2026\s+1000.00\s+250.00\s+25\.0%`, status)
			require.Contains(t, do("status", "--plan", "fy", "--as-of", "2026-03-31", "--format", "csv", "--grain", "half"), "li/2026-H1,li,2026-H1")

			do("export", "workbook", "--plan", "fy", "-o", "plan.xlsx")
			book, err := excelize.OpenFile(filepath.Join(dir, "plan.xlsx"))
			require.NoError(t, err)
			require.NoError(t, book.SetCellValue("rep", "E2", 350))
			require.NoError(t, book.SetCellValue("rep", "F2", 250))
			require.NoError(t, book.SaveAs(filepath.Join(dir, "edited.xlsx")))
			require.NoError(t, book.Close())
			out := do("import", "workbook", "edited.xlsx", "--plan", "fy", "--dry-run")
			require.Contains(t, out, "2 changed target(s)")
			require.Regexp(t, `li/2026-H1\s+300.00 →\s+350.00  \(\+50.00\)`, out)
			require.Contains(t, out, "dry run: nothing saved")
			require.Contains(t, do("import", "workbook", "edited.xlsx", "--plan", "fy"), "saved plan fy as version 2")
			require.Contains(t, do("export", "plan", "--plan", "fy"), "fy,li/2026-H1,li/2026,revenue,li,half,2026-01-01,2026-07-01,2026-H1,350.00")

			code, _, errOut := goalkitCmd(t, dir, append([]string{"import", "workbook", "edited.xlsx", "--plan", "fy"}, flags...)...)
			require.Equal(t, exitConflict, code, errOut)
			require.Contains(t, errOut, "export the plan again")

			require.Contains(t, do("export", "units", "--format", "json"), `{"id":"li","parent":"north","kind":"rep","name":"Li"}`)
			require.Contains(t, do("export", "wide", "--plan", "fy"), "li,Li,600.00,350.00,250.00")
			require.Contains(t, do("evaluate", "--as-of", "2026-03-31"), "2026-03-31: 5 open goal(s), 0 alert(s)")
			do("report", "--plan", "fy", "--as-of", "2026-03-31", "-o", "report.html", "--lang", "zh-CN")
			html, err := os.ReadFile(filepath.Join(dir, "report.html"))
			require.NoError(t, err)
			require.Contains(t, string(html), "<html")
		})
	}
}

func TestBadRowsImportNothing(t *testing.T) {
	dir := workspace(t)
	db := filepath.Join(dir, "goalkit.db")
	code, _, errOut := goalkitCmd(t, dir, "migrate", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = goalkitCmd(t, dir, "import", "units", "org.csv", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	bad := facts + "inv3,revenue,nobody,2026-03-01,1.00\ninv4,revenue,li,2026-02-30,1.00\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o644))

	code, out, errOut := goalkitCmd(t, dir, "import", "facts", "bad.csv", "--db", db)
	require.Equal(t, exitInvalid, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "bad.csv:4: unit \"nobody\"")
	require.Contains(t, errOut, "bad.csv:5: date \"2026-02-30\"")
	require.Contains(t, errOut, "2 bad row(s) in bad.csv, nothing imported; fix them (or use --keep-good)")

	code, out, errOut = goalkitCmd(t, dir, "import", "facts", "bad.csv", "--db", db, "--keep-good")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "4 rows, imported 2, 0 unchanged, 2 rejected")
	require.Contains(t, errOut, "bad.csv:4:")
}

func TestUsage(t *testing.T) {
	dir := workspace(t)
	for _, name := range order {
		code, _, errOut := goalkitCmd(t, dir, name, "--help")
		require.Equal(t, exitOK, code, name)
		require.Contains(t, errOut, "usage: goalkit "+name, name)
		require.Contains(t, errOut, "-db string", name)
	}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{nil, exitUsage, "usage: goalkit <command>"},
		{[]string{"--help"}, exitOK, "migrate   create or update"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"; run goalkit --help`},
		{[]string{"import", "facts"}, exitUsage, "import needs KIND and FILE"},
		{[]string{"import", "facts", "facts.csv", "--nope"}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{"import", "widgets", "facts.csv"}, exitUsage, `unknown KIND "widgets"`},
		{[]string{"import", "workbook", "plan.xlsx"}, exitUsage, "import workbook needs --plan"},
		{[]string{"status"}, exitUsage, "this needs --plan and no arguments, e.g. goalkit status --plan revenue-2026"},
		{[]string{"status", "--plan", "fy", "--as-of", "June"}, exitUsage, `--as-of "June" is not a date`},
		{[]string{"import", "facts", "facts.csv"}, exitFailed, "database goalkit.db does not exist; create it with goalkit migrate"},
		{[]string{"import", "facts", "missing.csv"}, exitFailed, "no such file or directory; check the path"},
		{[]string{"status", "--plan", "fy", "--config", "none.json"}, exitFailed, "config none.json does not exist; write it with your metrics"},
	} {
		code, _, errOut := goalkitCmd(t, dir, c.args...)
		require.Equal(t, c.code, code, "%q: %s", c.args, errOut)
		require.Contains(t, errOut, c.says, c.args)
	}
}

// TestBinary builds the command and runs it as a process once: the exit
// code and the streams are those of run.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "goalkit")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	dir := workspace(t)
	cmd := exec.Command(bin, "migrate", "--db", filepath.Join(dir, "goalkit.db"))
	out, err = cmd.Output()
	require.NoError(t, err)
	require.Regexp(t, `^applied \d+ migration\(s\)`, string(out))
	cmd = exec.Command(bin, "status")
	cmd.Dir = dir
	err = cmd.Run()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, exitUsage, ee.ExitCode())
}

func TestThousands(t *testing.T) {
	require.Equal(t, "1,000,000", thousands(1_000_000))
	require.Equal(t, "-1,234", thousands(-1234))
	require.Equal(t, "12", thousands(12))
}

// TestProgressBar: with --progress the bar is drawn on stderr (and never
// on stdout), ending full on its own line.
func TestProgressBar(t *testing.T) {
	dir := workspace(t)
	db := filepath.Join(dir, "goalkit.db")
	for _, args := range [][]string{{"migrate"}, {"import", "units", "org.csv"}} {
		code, _, errOut := goalkitCmd(t, dir, append(args, "--db", db)...)
		require.Equal(t, exitOK, code, errOut)
	}
	code, out, errOut := goalkitCmd(t, dir, "import", "facts", "facts.csv", "--db", db, "--progress", "--batch", "1")
	require.Equal(t, exitOK, code, errOut)
	require.NotContains(t, out, "#")
	require.Regexp(t, `\rfacts.csv \[#{20}\] 100%  2 rows  [\d,]+/s \n$`, errOut)

	code, _, errOut = goalkitCmd(t, dir, "import", "facts", "facts.csv", "--db", db)
	require.Equal(t, exitOK, code)
	require.Empty(t, errOut, "no bar when stderr is not a terminal")
}

// TestConfigRules: the config's alert rules reach the engine; a bad rule
// is refused with the config named.
func TestConfigRules(t *testing.T) {
	dir := workspace(t)
	db := filepath.Join(dir, "goalkit.db")
	withRules := strings.TrimSuffix(config, "}") + `, "rules": {"pace": {"revenue": {"dispersion": 1}}}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rules.json"), []byte(withRules), 0o644))
	badRule := strings.TrimSuffix(config, "}") + `, "rules": {"pace": {"revenue": {"dispersion": -1}}}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.json"), []byte(badRule), 0o644))
	typo := strings.TrimSuffix(config, "}") + `, "rulez": {}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "typo.json"), []byte(typo), 0o644))
	for _, args := range [][]string{{"migrate"}, {"import", "units", "org.csv"}, {"import", "plans", "plan.csv"}, {"import", "facts", "facts.csv"}} {
		code, _, errOut := goalkitCmd(t, dir, append(args, "--db", db)...)
		require.Equal(t, exitOK, code, errOut)
	}
	code, out, errOut := goalkitCmd(t, dir, "evaluate", "--as-of", "2026-06-30", "--db", db, "--config", "rules.json")
	require.Equal(t, exitOK, code, errOut)
	require.Regexp(t, `firing\s+\S+\s+pace\s+wang\s+\[2026-01-01,2027-01-01\)\n`, out, "wang has 100.00 of 400.00 by mid-year")

	code, _, errOut = goalkitCmd(t, dir, "evaluate", "--db", db, "--config", "bad.json")
	require.Equal(t, exitFailed, code)
	require.Contains(t, errOut, "config bad.json:")
	require.Contains(t, errOut, "Dispersion")

	code, _, errOut = goalkitCmd(t, dir, "evaluate", "--db", db, "--config", "typo.json")
	require.Equal(t, exitFailed, code)
	require.Contains(t, errOut, `unknown field "rulez"`)
}

// TestImportDeals: deals are checked against the config's funnels.
func TestImportDeals(t *testing.T) {
	dir := workspace(t)
	db := filepath.Join(dir, "goalkit.db")
	withFunnel := strings.TrimSuffix(config, "}") + `, "funnels": [{"key": "sales", "stages": [{"key": "lead"}, {"key": "proposal"}], "won": "won", "lost": "lost"}]}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "goalkit.json"), []byte(withFunnel), 0o644))
	deals := "id,funnel,unit,value,currency,stage,date\nd1,sales,li,5000.00,CNY,lead,2026-01-02\nd1,sales,li,5000.00,CNY,won,2026-02-03\nd2,sales,wang,800.00,CNY,proposal,2026-03-01\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "deals.csv"), []byte(deals), 0o644))
	for _, args := range [][]string{{"migrate"}, {"import", "units", "org.csv"}} {
		code, _, errOut := goalkitCmd(t, dir, append(args, "--db", db)...)
		require.Equal(t, exitOK, code, errOut)
	}
	code, out, errOut := goalkitCmd(t, dir, "import", "deals", "deals.csv", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "deals.csv: 2 rows, imported 2")

	bad := strings.Replace(deals, "proposal", "closing", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o644))
	code, _, errOut = goalkitCmd(t, dir, "import", "deals", "bad.csv", "--db", db)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, errOut, "bad.csv:4:")
}

// TestImportAnalyzes: importing facts ends with statistics of the tables
// it filled (sqlstore.Store.Analyze); a dry run analyzes nothing.
func TestImportAnalyzes(t *testing.T) {
	dir := workspace(t)
	path := filepath.Join(dir, "goalkit.db")
	for _, args := range [][]string{{"migrate"}, {"import", "units", "org.csv"}, {"import", "facts", "facts.csv", "--dry-run"}} {
		code, _, errOut := goalkitCmd(t, dir, append(args, "--db", path)...)
		require.Equal(t, exitOK, code, errOut)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer db.Close()
	stats := func() int {
		var tables, rows int
		require.NoError(t, db.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").Scan(&tables))
		if tables == 0 {
			return 0
		}
		require.NoError(t, db.QueryRow("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'goalkit_facts'").Scan(&rows))
		return rows
	}
	require.Zero(t, stats(), "a dry run analyzes nothing")
	code, _, errOut := goalkitCmd(t, dir, "import", "facts", "facts.csv", "--db", path)
	require.Equal(t, exitOK, code, errOut)
	require.Positive(t, stats())
}
