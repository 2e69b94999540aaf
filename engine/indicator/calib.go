package indicator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/nasplay/nasplay/engine/msgcheck"
)

// Image geometry of the calibration set (CIFAR-10).
const (
	calibSide   = 32
	calibPixels = 3 * calibSide * calibSide
	cifarRecord = 1 + calibPixels
)

// Per-channel CIFAR-10 mean and standard deviation used to normalize pixels
// scaled to [0, 1], for every dataset.
var (
	channelMean = [3]float32{0.4914, 0.4822, 0.4465}
	channelStd  = [3]float32{0.2470, 0.2435, 0.2616}
)

// Calib is the calibration image set: real CIFAR-10 images kept as bytes,
// normalized when a batch is made.
type Calib struct {
	labels []uint8
	pixels []uint8 // calibPixels per image: red, green, blue planes, row-major
}

// Len returns the number of images.
func (c *Calib) Len() int { return len(c.labels) }

const calibKind = "nasplay/calib"

// CalibSchema is the version of the calibration asset's layout.
const CalibSchema = 1

type calibFile struct {
	Kind     string `msgpack:"kind"`
	Schema   int    `msgpack:"schema"`
	Images   int    `msgpack:"images"`
	Labels   []byte `msgpack:"labels"`
	Pixels   []byte `msgpack:"pixels"`
	Checksum string `msgpack:"checksum"` // SHA-256 of labels then pixels
}

func calibDigest(labels, pixels []byte) string {
	h := sha256.New()
	h.Write(labels)
	h.Write(pixels)
	return hex.EncodeToString(h.Sum(nil))
}

// BuildCalib converts images in the CIFAR-10 binary format (records of one
// label byte and 3,072 pixel bytes) into the calibration asset.
func BuildCalib(bin []byte) ([]byte, error) {
	if len(bin) == 0 || len(bin)%cifarRecord != 0 {
		return nil, fmt.Errorf("calibration images: %d bytes is not a whole number of %d-byte CIFAR-10 records", len(bin), cifarRecord)
	}
	n := len(bin) / cifarRecord
	f := calibFile{Kind: calibKind, Schema: CalibSchema, Images: n,
		Labels: make([]byte, n), Pixels: make([]byte, 0, n*calibPixels)}
	for i := 0; i < n; i++ {
		r := bin[i*cifarRecord : (i+1)*cifarRecord]
		if r[0] > 9 {
			return nil, fmt.Errorf("calibration images: record %d has label %d, want 0..9", i, r[0])
		}
		f.Labels[i] = r[0]
		f.Pixels = append(f.Pixels, r[1:]...)
	}
	f.Checksum = calibDigest(f.Labels, f.Pixels)
	return msgpack.Marshal(&f)
}

// DecodeCalib reads a calibration asset written by BuildCalib.
func DecodeCalib(b []byte) (*Calib, error) {
	var f calibFile
	if err := msgcheck.Lengths(b); err != nil {
		return nil, fmt.Errorf("calibration asset: %v", err)
	}
	if err := msgpack.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("calibration asset: %v", err)
	}
	switch {
	case f.Kind != calibKind:
		return nil, fmt.Errorf("calibration asset: kind %q, want %q", f.Kind, calibKind)
	case f.Schema != CalibSchema:
		return nil, fmt.Errorf("calibration asset: schema %d, want %d", f.Schema, CalibSchema)
	case f.Images < 1 || len(f.Labels) != f.Images || len(f.Pixels) != f.Images*calibPixels:
		return nil, fmt.Errorf("calibration asset: %d labels and %d pixel bytes for %d images", len(f.Labels), len(f.Pixels), f.Images)
	case calibDigest(f.Labels, f.Pixels) != f.Checksum:
		return nil, fmt.Errorf("calibration asset: checksum mismatch (damaged file)")
	}
	return &Calib{labels: f.Labels, pixels: f.Pixels}, nil
}

// image writes image i, normalized, at 32×32 (CHW) into dst.
func (c *Calib) image(i int, dst []float32) {
	px := c.pixels[i*calibPixels : (i+1)*calibPixels]
	for ch := 0; ch < 3; ch++ {
		m, s := channelMean[ch], channelStd[ch]
		for j, p := range px[ch*calibSide*calibSide : (ch+1)*calibSide*calibSide] {
			dst[ch*calibSide*calibSide+j] = (float32(p)/255 - m) / s
		}
	}
}

// downsample2 averages 2×2 blocks of a normalized 3×32×32 image into
// 3×16×16: the ImageNet16-120 input size. Normalization is affine, so this
// equals normalizing the averaged pixels.
func downsample2(src, dst []float32) {
	const s, h = calibSide, calibSide / 2
	for ch := 0; ch < 3; ch++ {
		in := src[ch*s*s:]
		out := dst[ch*h*h:]
		for y := 0; y < h; y++ {
			for x := 0; x < h; x++ {
				i := 2*y*s + 2*x
				out[y*h+x] = (in[i] + in[i+1] + in[i+s] + in[i+s+1]) / 4
			}
		}
	}
}
