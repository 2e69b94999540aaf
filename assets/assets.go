// Package assets embeds the committed benchmark assets, so the native CLI
// runs with no other files. The browser fetches the same files from site/.
// They are written by "nasplay assets build" from the benchmark's CSV files.
package assets

import _ "embed"

// TablesFile is the tables asset's file name, in this folder and in site/.
const TablesFile = "tables.msgpack"

// Tables is the NAS-Bench-201 + HW-NAS-Bench tables asset (engine/tables).
//
//go:embed tables.msgpack
var Tables []byte
