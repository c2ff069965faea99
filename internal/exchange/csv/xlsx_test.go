package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/concord-operator/concord/internal/exchange"
)

// workbook writes rows into a new workbook's sheet (after an empty first
// sheet when sheet is not "Sheet1"); numbers are written as numbers.
func workbook(t *testing.T, sheet string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	if sheet != "Sheet1" {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	}
	for r, row := range rows {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				t.Fatal(err)
			}
			var value any = v
			if n, err := strconv.ParseFloat(v, 64); err == nil && r > 0 {
				value = n
			}
			if err := f.SetCellValue(sheet, cell, value); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func exampleRows(t *testing.T) (*exchange.Map, []byte, [][]string) {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "examples", "exchange")
	m, err := exchange.LoadMap(filepath.Join(dir, "referrals-csv.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "referrals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := stdcsv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return m, data, rows
}

// TestReadWorkbook: the example spreadsheet saved as an xlsx workbook (on
// a second sheet, named by options.sheet) gives the same figures and
// ignored rows as its CSV, at the same row numbers.
func TestReadWorkbook(t *testing.T) {
	m, data, rows := exampleRows(t)
	fromCSV, err := Codec{}.Read(m, "referrals", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	m.Options = []byte(strings.Replace(string(m.Options), `"ignoreColumns"`, `"sheet":"Referrals","ignoreColumns"`, 1))
	fromXLSX, err := Codec{}.Read(m, "referrals", bytes.NewReader(workbook(t, "Referrals", rows)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromXLSX, fromCSV) {
		t.Errorf("xlsx\n%+v\nCSV\n%+v", fromXLSX, fromCSV)
	}
	if len(fromCSV.Figures) != 9 || len(fromCSV.Ignored) != 1 {
		t.Errorf("%d figures, %d ignored", len(fromCSV.Figures), len(fromCSV.Ignored))
	}
}

// TestReadWorkbookStoredValues: a cell is read as stored, not as its
// number format shows it (11.6 shown as "12").
func TestReadWorkbookStoredValues(t *testing.T) {
	m := parseMap(t, testMap)
	f := excelize.NewFile()
	for cell, v := range map[string]any{"A1": "Quarter", "B1": "Org", "C1": "Sex", "D1": "Count", "E1": "Code",
		"A2": "2026-Q1", "B2": "Border police", "D2": 11.6, "E2": "VR"} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 1}) // "0": no decimals shown
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "D2", "D2", style); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := Codec{}.Read(m, "in.xlsx", &b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Figures) != 1 || got.Figures[0].Value != "11.6" || got.Figures[0].Source.Line != 2 {
		t.Errorf("figures %+v", got.Figures)
	}
}

// TestReadWorkbookErrors: errors name the file, the row or the sheet.
func TestReadWorkbookErrors(t *testing.T) {
	m := parseMap(t, testMap)
	header := []string{"Quarter", "Org", "Sex", "Count", "Code"}
	for _, tc := range []struct {
		name, want string
		data       []byte
		sheet      string
	}{
		{"no such sheet", `in.xlsx: no worksheet "Figures" (options.sheet): the workbook has "Sheet1"`,
			workbook(t, "Sheet1", [][]string{header}), "Figures"},
		{"a cell without a header", `in.xlsx:3: cell F3 holds "late", but its column has no header`,
			workbook(t, "Sheet1", [][]string{header, {"2026-Q1", "Border police", "", "4", "VR"}, {"2026-Q2", "Border police", "", "5", "VR", "late"}}), ""},
		{"a value that is not a number", `in.xlsx:2: column "Count": "four" is not a number`,
			workbook(t, "Sheet1", [][]string{header, {"2026-Q1", "Border police", "", "four", "VR"}}), ""},
		{"an empty sheet", `in.xlsx: worksheet "Sheet1" is empty: its first row must name its columns`,
			workbook(t, "Sheet1", nil), ""},
		{"not a workbook", `in.xlsx: not a readable xlsx workbook`, []byte("PK\x03\x04 and then nothing"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mm := *m
			if tc.sheet != "" {
				mm.Options = []byte(strings.Replace(string(m.Options), `"ignoreColumns"`, `"sheet":"`+tc.sheet+`","ignoreColumns"`, 1))
			}
			_, err := Codec{}.Read(&mm, "in.xlsx", bytes.NewReader(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
