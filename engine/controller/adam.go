package controller

import "math"

// adamGo applies one Adam step up gradient g to th with moments m and v;
// step and inv carry the learning rate and the bias corrections. It is the
// definition; adam may run an assembly version with bit-identical results.
func adamGo(th, m, v, g []float64, step, inv float64) {
	m, v, g = m[:len(th)], v[:len(th)], g[:len(th)]
	for i, gi := range g {
		mi := Beta1*m[i] + (1-Beta1)*gi
		vi := Beta2*v[i] + (1-Beta2)*gi*gi
		m[i], v[i] = mi, vi
		th[i] += step * mi / (math.Sqrt(vi)*inv + Eps)
	}
}
