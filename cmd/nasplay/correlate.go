package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

func init() {
	register("correlate", "rank correlation of each indicator with test accuracy", correlate)
}

func correlate(args []string, stdout io.Writer) error {
	fs := newFlags("correlate", "[--dataset D|all] [--json]", stdout)
	dsFlag := fs.String("dataset", "all", "cifar10, cifar100, imagenet16 or all")
	asJSON := fs.Bool("json", false, "print one JSON list")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	datasets, err := parseDatasets(*dsFlag)
	if err != nil {
		return err
	}
	bt, tab, err := loadIndicators()
	if err != nil {
		return err
	}
	var all []indicator.Correlation
	for _, d := range datasets {
		cs, err := indicator.Correlate(tab, bt, d)
		if err != nil {
			return err
		}
		all = append(all, cs...)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(all)
	}
	fmt.Fprintf(stdout, "rank correlation with test accuracy; indicator config %s\n", tab.Config().Version())
	for _, d := range datasets {
		f := tab.Fusion(d)
		fmt.Fprintf(stdout, "\n%s (fi = fusion of %v, each through a quadratic of its rank, fit on %d connected networks of %s)\n", d, f.Inputs, len(f.Fit), tables.ValidColumn(d))
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "indicator\tall ρ\tτ\tconnected ρ\tτ\tholdout ρ\tτ\tworst score\t")
		for _, name := range scores.AllNames() {
			fmt.Fprintf(tw, "%s\t", name)
			worst := 0
			for _, c := range all {
				if c.Dataset == d.String() && c.Indicator == name {
					fmt.Fprintf(tw, "%.3f\t%.3f\t", c.Spearman, c.Kendall)
					if c.Subset == indicator.SubsetAll {
						worst = c.Worst
					}
				}
			}
			fmt.Fprintf(tw, "%d\t\n", worst)
		}
		tw.Flush()
		c := tab.Counts(d)
		fmt.Fprintf(stdout, "worst score: %d disconnected networks; NaN or singular among connected:", c.Disconnected)
		for k, name := range scores.Names()[:scores.NumRaw] {
			fmt.Fprintf(stdout, " %s %d", name, c.Failed[k])
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
