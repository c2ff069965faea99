package exchange_test

import (
	"errors"
	"io"

	"github.com/concord-operator/concord/internal/exchange"
)

// halfWriter writes part of its output, then fails.
type halfWriter struct{}

func (halfWriter) Read(*exchange.Map, string, io.Reader) (exchange.Read, error) {
	return exchange.Read{}, nil
}

func (halfWriter) Write(_ *exchange.Map, w io.Writer, _ []exchange.Figure) error {
	if _, err := io.WriteString(w, "HEADER\n"); err != nil {
		return err
	}
	return errors.New("failed half way")
}
