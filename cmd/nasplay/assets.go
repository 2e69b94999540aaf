package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/tables"
)

func init() {
	register("assets build", "convert ../shared/data into the msgpack assets in assets/", assetsBuild)
}

// assetBuilders make each asset from the data folder's files; other command
// groups add theirs.
var assetBuilders = []struct {
	file  string
	build func(dir string) ([]byte, error)
}{
	{assets.TablesFile, buildTables},
}

func buildTables(dir string) ([]byte, error) {
	files := map[string][]byte{}
	for _, n := range []string{tables.NB201File, tables.HWFile, tables.SumsFile} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		files[n] = b
	}
	return tables.Convert(files)
}

func assetsBuild(args []string, stdout io.Writer) error {
	fs := newFlags("assets build", "--from DIR [--out DIR]", stdout)
	from := fs.String("from", "../shared/data", "folder with the benchmark's CSV files, images and SHA256SUMS")
	out := fs.String("out", "assets", "folder to write the msgpack assets into")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("--out: %v", err)
	}
	for _, a := range assetBuilders {
		b, err := a.build(*from)
		if err != nil {
			return err
		}
		path := filepath.Join(*out, a.file)
		if err := writeFileAtomic(path, b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", path, len(b))
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so an
// interrupted write never leaves a half file behind.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
