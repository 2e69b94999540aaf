package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nasplay/nasplay/engine/tables"
	"github.com/nasplay/nasplay/wasm/plots"
)

func init() {
	register("site plots", "render the browser tool's latency– and energy–accuracy chart backgrounds (build step)", sitePlots)
}

// sitePlots writes one scatter PNG per dataset × device × objective (energy
// where the device has it), at 1 and plots.Hi device pixels per CSS pixel,
// and frames.json, which the page reads to place its live marks on them.
func sitePlots(args []string, stdout io.Writer) error {
	fs := newFlags("site plots", "[--out DIR]", stdout)
	out := fs.String("out", "site/plots", "folder to write the PNGs and frames.json into")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	tab, err := loadTables()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("--out: %v", err)
	}
	var frames []plots.Frame
	for _, d := range tables.Datasets() {
		for _, v := range tables.Devices() {
			for _, o := range tables.Objectives() {
				if !v.Supports(o) {
					continue
				}
				pngs, f, err := plots.Scatter(tab, d, v, o)
				if err != nil {
					return err
				}
				for k, scale := range plots.Scales {
					if err := writeFileAtomic(filepath.Join(*out, plots.Name(d, v, o, scale)), pngs[k]); err != nil {
						return fmt.Errorf("--out: %v", err)
					}
				}
				frames = append(frames, f)
			}
		}
	}
	b, err := json.MarshalIndent(frames, "", "\t")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(*out, "frames.json"), b); err != nil {
		return fmt.Errorf("--out: %v", err)
	}
	fmt.Fprintf(stdout, "wrote %d charts and frames.json to %s\n", len(frames), *out)
	return nil
}
