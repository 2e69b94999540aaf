package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
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

// writeFileAtomic writes through a temporary file beside path and a
// rename, so an interrupted write never leaves a half file behind, and a
// failed one leaves nothing.
func writeFileAtomic(path string, b []byte) error {
	f, err := tempBeside(path)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// checkOutput reports whether a file can be written at path. Commands that
// run long call it before they start, so that a typo does not cost the run.
func checkOutput(path string) error {
	f, err := tempBeside(path)
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// tempBeside creates a new empty file in path's folder, with mode 0644
// under the umask as os.WriteFile would (os.CreateTemp would force 0600).
// Its errors say why path cannot be written: a folder, no such folder, or
// the system's reason.
func tempBeside(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("cannot write %s: no folder %s", path, dir)
	}
	var f *os.File
	var err error
	for range 100 {
		tmp := filepath.Join(dir, fmt.Sprintf(".%s.%d.tmp", filepath.Base(path), rand.Uint32()))
		if f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name would only confuse
		}
		return nil, fmt.Errorf("cannot write %s: %v", path, err)
	}
	return f, nil
}
