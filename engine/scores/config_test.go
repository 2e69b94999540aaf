package scores

import (
	"encoding/json"
	"math"
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

// Every field's range is enforced at both ends: a value just outside is
// refused naming its field, the bound itself is accepted.
func TestConfigValidateBounds(t *testing.T) {
	for _, c := range []struct {
		field  string
		set    func(*Config, int) // sets the field to a value
		lo, hi int                // the accepted range
	}{
		{"c", func(c *Config, v int) { c.C = v }, 1, 64},
		{"n", func(c *Config, v int) { c.N = v }, 1, 5},
		{"weight_draws", func(c *Config, v int) { c.WeightDraws = v }, 1, 16},
		{"batch", func(c *Config, v int) { c.Batch = v }, 2, 256},
		{"cj_images", func(c *Config, v int) { c.CJImages = v }, 1, 64},
		{"cj_variants", func(c *Config, v int) { c.CJVariants = v }, 2, 64},
		{"cutout_size", func(c *Config, v int) { c.CutoutSize = v }, 1, 32},
		{"nlr_c", func(c *Config, v int) { c.NLRC = v }, 1, 16},
		{"nlr_samples", func(c *Config, v int) { c.NLRSamples = v }, 2, 10000},
		{"nlr_patch", func(c *Config, v int) { c.NLRPatch = v }, 4, 16},
		{"os_draws", func(c *Config, v int) { c.OSDraws = v }, 1, 16},
	} {
		for _, v := range []int{c.lo, c.hi} {
			cfg := Default()
			c.set(&cfg, v)
			if err := cfg.Validate(); err != nil {
				t.Errorf("%s = %d: %v, want it accepted", c.field, v, err)
			}
		}
		for _, v := range []int{c.lo - 1, c.hi + 1} {
			cfg := Default()
			c.set(&cfg, v)
			if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.field+" =") {
				t.Errorf("%s = %d: error %v, want one naming the field", c.field, v, err)
			}
		}
	}
	for _, v := range []float64{math.NaN(), 0, 1000.5, math.Inf(1)} {
		cfg := Default()
		cfg.OSNoise = v
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "os_noise =") {
			t.Errorf("os_noise = %v: error %v", v, err)
		}
	}
	for _, v := range []float64{math.NaN(), -0.1, 1.5} {
		cfg := Default()
		cfg.CJBeta = v
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "cj_beta =") {
			t.Errorf("cj_beta = %v: error %v", v, err)
		}
	}
}

// The default configuration's version is the one the committed checkpoints
// and table are named by (assets/indicators-ckpt/*.txt's header): a change
// to Version or to Default orphans them.
func TestDefaultVersion(t *testing.T) {
	if got := Default().Version(); got != "cfg-4c141853e2d9" {
		t.Errorf("Default().Version() = %s, the committed checkpoints' is cfg-4c141853e2d9", got)
	}
}
