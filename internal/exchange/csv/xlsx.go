package csv

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxWorkbookBytes bounds the unzipped size of a workbook (excelize's
// UnzipSizeLimit): a small file that unzips to gigabytes is refused.
const maxWorkbookBytes = 1 << 30

// openSheet opens an xlsx workbook and reads the header (first row) of
// its sheet (the first when sheet is empty).
func openSheet(name string, r io.Reader, sheet string) (*table, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxWorkbookBytes})
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable xlsx workbook: %v", name, err)
	}
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, fmt.Errorf("%s: the workbook has no worksheet", name)
		}
		sheet = sheets[0]
	} else if !slices.Contains(sheets, sheet) {
		return nil, fmt.Errorf("%s: no worksheet %q (options.sheet): the workbook has %s", name, sheet, quoteList(sheets))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: worksheet %q: %v", name, sheet, err)
	}
	x := &sheetRows{name: name, sheet: sheet, rows: rows}
	header, _, err := x.Read()
	if err == io.EOF || (err == nil && strings.Join(header, "") == "") {
		return nil, fmt.Errorf("%s: worksheet %q is empty: its first row must name its columns", name, sheet)
	}
	if err != nil {
		return nil, err
	}
	x.width = len(header)
	return newTable(name, x, header)
}

// sheetRows are the rows of a worksheet, as stored (not as displayed),
// each as wide as the header.
type sheetRows struct {
	name, sheet string
	rows        *excelize.Rows
	row, width  int
}

func (x *sheetRows) Read() ([]string, int, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, 0, fmt.Errorf("%s: worksheet %q after row %d: %v", x.name, x.sheet, x.row, err)
		}
		return nil, 0, io.EOF
	}
	x.row++
	cols, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, fmt.Errorf("%s:%d: worksheet %q: %v", x.name, x.row, x.sheet, err)
	}
	if x.width == 0 { // the header
		return cols, x.row, nil
	}
	for i := x.width; i < len(cols); i++ {
		if strings.TrimSpace(cols[i]) != "" {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return nil, 0, fmt.Errorf("%s:%d: cell %s%d holds %q, but its column has no header: name the column in row 1, or clear the cell", x.name, x.row, name, x.row, cols[i])
		}
	}
	for len(cols) < x.width {
		cols = append(cols, "")
	}
	return cols[:x.width], x.row, nil
}
