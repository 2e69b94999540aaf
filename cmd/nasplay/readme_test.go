package main

import (
	"os"
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
