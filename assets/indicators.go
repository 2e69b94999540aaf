package assets

import _ "embed"

// File names of the indicator assets, in this folder and in site/.
const (
	CalibFile      = "calib.msgpack"
	IndicatorsFile = "indicators.msgpack"
)

// Calib is the calibration image set the indicators are computed on
// (engine/indicator.DecodeCalib).
//
//go:embed calib.msgpack
var Calib []byte

// Indicators is the precomputed indicator table (engine/scores.DecodeTable),
// written by "nasplay indicators precompute".
//
//go:embed indicators.msgpack
var Indicators []byte
