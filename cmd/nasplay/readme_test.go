package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's console examples are what the commands print, character for
// character: each "$ nasplay ..." line in a ```console block is run and its
// output compared with the lines that follow it.
func TestReadmeExamples(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples := 0
	for _, block := range strings.Split(string(b), "```console\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		for _, ex := range strings.Split(block, "$ nasplay ")[1:] {
			cmdline, want, _ := strings.Cut(ex, "\n")
			code, out, errs := runCLI(strings.Fields(cmdline)...)
			if code != 0 {
				t.Errorf("nasplay %s: exit %d, %s", cmdline, code, errs)
			}
			if out != want {
				t.Errorf("nasplay %s prints\n%s\nthe README shows\n%s", cmdline, out, want)
			}
			examples++
		}
	}
	if examples < 3 {
		t.Errorf("%d console examples in the README, want at least 3", examples)
	}
}

// Every browser test is named in the README, which says what each checks
// (a test added without a word there is a check nobody reading it knows of).
func TestReadmeNamesBrowserTests(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../browsertest/*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no browser tests found: %v", err)
	}
	named := regexp.MustCompile("`(Test[A-Za-z0-9_]+)`")
	inReadme := map[string]bool{}
	for _, m := range named.FindAllStringSubmatch(string(readme), -1) {
		inReadme[m[1]] = true
	}
	decl := regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(t \*testing\.T\)`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			n++
			if !inReadme[m[1]] {
				t.Errorf("%s (%s) is not named in the README", m[1], filepath.Base(f))
			}
		}
	}
	if n < 50 {
		t.Errorf("%d browser tests found, want the suite's", n)
	}
}

// The embedding examples (the README's and site/embed.html) let the tool's
// Copy link write the clipboard: Chromium refuses it to an iframe of
// another origin that the embedding page does not allow it to.
func TestEmbeddingAllowsClipboard(t *testing.T) {
	for _, f := range []string{"../../README.md", "../../site/embed.html"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, tag := range strings.Split(string(b), "<iframe")[1:] {
			tag, _, _ = strings.Cut(tag, ">")
			if !strings.Contains(tag, `allow="clipboard-write"`) {
				t.Errorf("%s: <iframe%s> lets no Copy link write the clipboard from another origin", filepath.Base(f), tag)
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no iframe", filepath.Base(f))
		}
	}
}
