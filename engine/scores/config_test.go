package scores

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for _, c := range []struct {
		field string
		set   func(*Config)
	}{
		{"batch", func(c *Config) { c.Batch = 1 }},
		{"cj_beta", func(c *Config) { c.CJBeta = 0 }},
		{"cj_beta", func(c *Config) { c.CJBeta = 1 }},
		{"c", func(c *Config) { c.C = 0 }},
		{"n", func(c *Config) { c.N = 6 }},
		{"cj_variants", func(c *Config) { c.CJVariants = 1 }},
		{"cutout_size", func(c *Config) { c.CutoutSize = 33 }},
		{"nlr_patch", func(c *Config) { c.NLRPatch = 6 }},
		{"nlr_samples", func(c *Config) { c.NLRSamples = 1 }},
		{"os_noise", func(c *Config) { c.OSNoise = -1 }},
		{"os_draws", func(c *Config) { c.OSDraws = 0 }},
		{"weight_draws", func(c *Config) { c.WeightDraws = 17 }},
	} {
		cfg := Default()
		c.set(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.field+" =") {
			t.Errorf("bad %s: error %v, want one naming the field", c.field, err)
		}
	}
}

func TestConfigJSON(t *testing.T) {
	b, err := json.Marshal(Default())
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseConfig(b)
	if err != nil || c != Default() || c.Version() != Default().Version() {
		t.Fatalf("round trip: %+v, %v", c, err)
	}
	c, err = ParseConfig([]byte(`{"c": 16, "n": 5}`))
	if err != nil || c.C != 16 || c.N != 5 || c.Batch != Default().Batch {
		t.Errorf("partial config: %+v, %v", c, err)
	}
	if c.Version() == Default().Version() {
		t.Error("changed config keeps the default version")
	}
	if _, err := ParseConfig([]byte(`{"beta": 0.5}`)); err == nil || !strings.Contains(err.Error(), "beta") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := ParseConfig([]byte(`{"batch": 1}`)); err == nil || !strings.Contains(err.Error(), "batch") {
		t.Errorf("invalid field: %v", err)
	}
}

// A configuration file is one JSON object with each field once, named
// exactly: anything else would fall back to a default unseen.
func TestParseConfigStrict(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{``, "empty"},
		{"  \n", "empty"},
		{`{"c": 8}{"n": 99}`, "more after the JSON object"},
		{`{"c": 8} trailing`, "more after the JSON object"},
		{`{"C": 8}`, `field "C": the name is "c"`},
		{`{"c": 8, "c": 16}`, `field "c" given twice`},
		{`{"nlr_c": 4, "NLR_C": 4}`, `field "NLR_C": the name is "nlr_c"`},
		{`null`, "want a JSON object"},
		{`[1]`, "want a JSON object"},
	} {
		if _, err := ParseConfig([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseConfig(%q) = %v, want an error saying %q", c.in, err, c.want)
		}
	}
	if c, err := ParseConfig([]byte(" {\"c\": 8}\n")); err != nil || c.C != 8 {
		t.Errorf("a well-formed file: %+v, %v", c, err)
	}
}
