// Package examples embeds the example scenarios, so that `concordctl dev`
// can apply the default one without a checkout of the repository.
package examples

import "embed"

// FS holds the example scenarios.
//
//go:embed national-plan/*.yaml
var FS embed.FS

// Default is the directory of the scenario `concordctl dev` applies.
const Default = "national-plan"
