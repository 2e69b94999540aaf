package indicator

import (
	"math"
	"os"
	"testing"

	"github.com/nasplay/nasplay/assets"
)

// TestCalibAsset checks the committed calibration asset against the shared
// CIFAR-10 file it was built from, when that file is present.
func TestCalibAsset(t *testing.T) {
	c, err := DecodeCalib(assets.Calib)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1000 {
		t.Fatalf("%d images, want 1000", c.Len())
	}
	bin, err := os.ReadFile("../../../shared/data/cifar10-calib-1000.bin")
	if err != nil {
		t.Skip("shared data not present:", err)
	}
	b, err := BuildCalib(bin)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(assets.Calib) {
		t.Error("assets/calib.msgpack differs from a fresh build of the shared images")
	}
	// Image 0, red channel, pixel 0, normalized by hand.
	img := make([]float32, calibPixels)
	c.image(0, img)
	want := (float32(bin[1])/255 - 0.4914) / 0.2470
	if img[0] != want {
		t.Errorf("image 0 pixel 0 = %v, want %v", img[0], want)
	}
	small := make([]float32, 3*16*16)
	downsample2(img, small)
	// Blue channel, pixel (1,1) of 16×16 averages 32×32 pixels (2..3, 2..3).
	var s float32
	for _, p := range []int{2*32 + 2, 2*32 + 3, 3*32 + 2, 3*32 + 3} {
		s += img[2*1024+p]
	}
	if got := small[2*256+16+1]; math.Abs(float64(got-s/4)) > 1e-6 {
		t.Errorf("downsampled pixel = %v, want %v", got, s/4)
	}
}

func TestCalibDamaged(t *testing.T) {
	if _, err := BuildCalib(make([]byte, 3072)); err == nil {
		t.Error("partial record accepted")
	}
	b := append([]byte(nil), assets.Calib...)
	b[len(b)-100] ^= 1
	if _, err := DecodeCalib(b); err == nil {
		t.Error("damaged asset accepted")
	}
	for _, n := range []int{0, 1, 10, 100} {
		if _, err := DecodeCalib(assets.Calib[:n]); err == nil {
			t.Errorf("truncated asset (%d bytes) accepted", n)
		}
	}
}
