package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// HistoryColumns is the number of history columns (h1 is status.history[0],
// the newest period; h12 the oldest).
const HistoryColumns = 12

// CSVHeader is the header row of WriteCSV. Condition columns hold the
// condition's status (True, False or Unknown).
var CSVHeader = func() []string {
	h := []string{
		"namespace", "name", "area", "title", "unit",
		"baseline.period", "baseline.value",
		"target.operator", "target.value", "target.deadline", "targetValue",
		"current.period", "current.value", "current.provisional", "progress",
		"TargetMet", "OnTrack", "EvidenceMissing", "DataOverdue", "Anomalous",
	}
	for k := 1; k <= HistoryColumns; k++ {
		h = append(h, "h"+strconv.Itoa(k))
	}
	return h
}()

// WriteCSV writes one RFC 4180 row per indicator, in the report's order
// (by area, then namespace and name). Values are written as the status
// holds them, except those disclosure control withholds: "<5" (for
// minCellSize 5) or "suppressed" in their place, and an empty progress or
// targetValue where it would give one away. Text a spreadsheet would run
// as a formula (starting with =, +, -, @, tab or carriage return) is
// prefixed with a quote.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, a := range r.Areas {
		for _, i := range a.Indicators {
			row := []string{
				i.Namespace, i.Name, i.Area, cell(i.Title), cell(i.Unit),
				i.BaselinePeriod, i.BaselineValue,
				i.TargetOperator, i.TargetValue, i.TargetDeadline, i.AbsoluteTarget,
				i.CurrentPeriod, i.CurrentValue, provisional(i), i.Progress,
				i.TargetMet.StatusOrUnknown(), i.OnTrack.StatusOrUnknown(),
				i.EvidenceMissing.StatusOrUnknown(), i.DataOverdue.StatusOrUnknown(), i.Anomalous.StatusOrUnknown(),
			}
			for k := 0; k < HistoryColumns; k++ {
				v := ""
				if k < len(i.History) {
					v = i.History[k].Value
				}
				row = append(row, v)
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("indicator %s/%s: %w", i.Namespace, i.Name, err)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func provisional(i *Indicator) string {
	if i.CurrentValue == "" {
		return ""
	}
	return strconv.FormatBool(i.Provisional)
}

// cell defuses free text a spreadsheet would evaluate as a formula.
func cell(s string) string {
	s = oneLine(s)
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
