package scores

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Config holds every knob of the indicators. Its Version is stored with
// every precomputed table, so a score always names the settings it came
// from. JSON field names are the ones a --config file uses.
type Config struct {
	// C and N size the proxy network used by cj, cj_eig, cnntk and os:
	// C channels in the first stage, N cells per stage. C=16, N=5 is the
	// benchmark's full size.
	C int `json:"c"`
	N int `json:"n"`
	// Seed drives every random choice: the images, Cutout squares, noise and
	// patches from Seed alone (equal for all networks), the weights from
	// Seed and the network's isomorphism class.
	Seed uint64 `json:"seed"`
	// WeightDraws independent weight initializations are measured and each
	// raw indicator is averaged over them (cnntk geometrically): one draw's
	// value depends on its weights as much as on the architecture.
	WeightDraws int `json:"weight_draws"`
	// Batch is the number of different images for cj_eig, cnntk and os.
	Batch int `json:"batch"`
	// CJImages images each give CJVariants Cutout variants for cj.
	CJImages   int `json:"cj_images"`
	CJVariants int `json:"cj_variants"`
	// CJBeta is cj's threshold: pairs with 0 < correlation < CJBeta count.
	CJBeta float64 `json:"cj_beta"`
	// CutoutSize is the side of the square Cutout zeroes, in pixels of the
	// 32×32 image (ImageNet16-120 downsamples the variants after Cutout).
	CutoutSize int `json:"cutout_size"`
	// NLRC is the width of nlr's thin network (one cell per stage);
	// NLRSamples patches of NLRPatch×NLRPatch pixels are fed to it.
	NLRC       int `json:"nlr_c"`
	NLRSamples int `json:"nlr_samples"`
	NLRPatch   int `json:"nlr_patch"`
	// OSNoise is the standard deviation of os's Gaussian input noise, in
	// normalized pixel units; OSDraws noise draws are taken per image.
	OSNoise float64 `json:"os_noise"`
	OSDraws int     `json:"os_draws"`
}

// Default returns the configuration the committed table was computed with.
// The README ("Training-free indicators") gives the reasons for each value.
func Default() Config {
	return Config{
		C: 4, N: 1, Seed: 1, WeightDraws: 8,
		Batch:    16,
		CJImages: 2, CJVariants: 8, CJBeta: 0.8, CutoutSize: 16,
		NLRC: 1, NLRSamples: 1000, NLRPatch: 4,
		OSNoise: 0.1, OSDraws: 1,
	}
}

// Validate reports the first field that is out of range, by its JSON name.
func (c Config) Validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("indicator config: %s = %v, want %s", field, v, want)
	}
	switch {
	case c.C < 1 || c.C > 64:
		return bad("c", c.C, "in [1, 64]")
	case c.N < 1 || c.N > 5:
		return bad("n", c.N, "in [1, 5]")
	case c.WeightDraws < 1 || c.WeightDraws > 16:
		return bad("weight_draws", c.WeightDraws, "in [1, 16]")
	case c.Batch < 2 || c.Batch > 256:
		return bad("batch", c.Batch, "in [2, 256]")
	case c.CJImages < 1 || c.CJImages > 64:
		return bad("cj_images", c.CJImages, "in [1, 64]")
	case c.CJVariants < 2 || c.CJVariants > 64:
		return bad("cj_variants", c.CJVariants, "in [2, 64]")
	case !(c.CJBeta > 0 && c.CJBeta < 1):
		return bad("cj_beta", c.CJBeta, "in (0, 1)")
	case c.CutoutSize < 1 || c.CutoutSize > 32:
		return bad("cutout_size", c.CutoutSize, "in [1, 32]")
	case c.NLRC < 1 || c.NLRC > 16:
		return bad("nlr_c", c.NLRC, "in [1, 16]")
	case c.NLRSamples < 2 || c.NLRSamples > 10000:
		return bad("nlr_samples", c.NLRSamples, "in [2, 10000]")
	case c.NLRPatch < 4 || c.NLRPatch > 16 || c.NLRPatch%4 != 0:
		return bad("nlr_patch", c.NLRPatch, "4, 8, 12 or 16")
	case !(c.OSNoise > 0) || c.OSNoise > 1e3:
		return bad("os_noise", c.OSNoise, "in (0, 1000]")
	case c.OSDraws < 1 || c.OSDraws > 16:
		return bad("os_draws", c.OSDraws, "in [1, 16]")
	}
	return nil
}

// Version identifies the configuration: a hash of its JSON form.
func (c Config) Version() string {
	b, _ := json.Marshal(c) // a struct of numbers always marshals
	h := sha256.Sum256(b)
	return "cfg-" + hex.EncodeToString(h[:6])
}

// ParseConfig reads a JSON configuration: one object. Fields it does not
// set keep their default values; an unknown field, a field given twice or
// in other letter case, and anything after the object are errors (a typo
// must not fall back to a default unseen).
func ParseConfig(b []byte) (Config, error) {
	c := Default()
	if len(bytes.TrimSpace(b)) == 0 {
		return c, fmt.Errorf(`indicator config: empty; want a JSON object such as {"c": 8}`)
	}
	if err := checkKeys(b); err != nil {
		return c, fmt.Errorf("indicator config: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("indicator config: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return c, fmt.Errorf("indicator config: more after the JSON object; want one object")
	}
	return c, c.Validate()
}

// checkKeys rejects the keys encoding/json would quietly accept: one in
// other letter case than its field's, or one given twice. Anything else
// malformed is left to the decoder to report.
func checkKeys(b []byte) error {
	known := map[string]bool{}
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		known[name] = true
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil // malformed: the decoder says how
	}
	if tok != json.Delim('{') { // null would decode to the defaults unnoticed
		return fmt.Errorf(`want a JSON object such as {"c": 8}`)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		k, _ := tok.(string)
		if !known[k] {
			for name := range known {
				if strings.EqualFold(name, k) {
					return fmt.Errorf("field %q: the name is %q (lower case)", k, name)
				}
			}
		}
		if seen[k] {
			return fmt.Errorf("field %q given twice", k)
		}
		seen[k] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil
		}
	}
	return nil
}
