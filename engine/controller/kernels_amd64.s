#include "textflag.h"

// func adamAVX(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)
//
// For each i < len(th), in adamGo's order of operations, four lanes at a
// time and the last len%4 elements one at a time:
//   m[i] = b1*m[i] + ob1*g[i]
//   v[i] = b2*v[i] + (ob2*g[i])*g[i]
//   th[i] = th[i] + (step*m[i]) / (sqrt(v[i])*inv + eps)
TEXT ·adamAVX(SB), NOSPLIT, $0-152
	MOVQ th_base+0(FP), DI
	MOVQ th_len+8(FP), CX
	MOVQ m_base+24(FP), SI
	MOVQ v_base+48(FP), DX
	MOVQ g_base+72(FP), R8
	VBROADCASTSD step+96(FP), Y8
	VBROADCASTSD inv+104(FP), Y9
	VBROADCASTSD b1+112(FP), Y10
	VBROADCASTSD ob1+120(FP), Y11
	VBROADCASTSD b2+128(FP), Y12
	VBROADCASTSD ob2+136(FP), Y13
	VBROADCASTSD eps+144(FP), Y14
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-4, BX

quads:
	CMPQ AX, BX
	JGE avxtail
	VMOVUPD (R8)(AX*8), Y0
	VMULPD (SI)(AX*8), Y10, Y1
	VMULPD Y0, Y11, Y2
	VADDPD Y2, Y1, Y1
	VMOVUPD Y1, (SI)(AX*8)
	VMULPD (DX)(AX*8), Y12, Y3
	VMULPD Y0, Y13, Y4
	VMULPD Y0, Y4, Y4
	VADDPD Y4, Y3, Y3
	VMOVUPD Y3, (DX)(AX*8)
	VSQRTPD Y3, Y5
	VMULPD Y9, Y5, Y5
	VADDPD Y14, Y5, Y5
	VMULPD Y8, Y1, Y1
	VDIVPD Y5, Y1, Y1
	VADDPD (DI)(AX*8), Y1, Y6
	VMOVUPD Y6, (DI)(AX*8)
	ADDQ $4, AX
	JMP quads

avxtail:
	VZEROUPPER
	CMPQ AX, CX
	JGE avxdone
	MOVSD (R8)(AX*8), X0
	MOVSD (SI)(AX*8), X1
	MULSD X10, X1
	MOVSD X11, X2
	MULSD X0, X2
	ADDSD X2, X1
	MOVSD X1, (SI)(AX*8)
	MOVSD (DX)(AX*8), X3
	MULSD X12, X3
	MOVSD X13, X4
	MULSD X0, X4
	MULSD X0, X4
	ADDSD X4, X3
	MOVSD X3, (DX)(AX*8)
	SQRTSD X3, X5
	MULSD X9, X5
	ADDSD X14, X5
	MULSD X8, X1
	DIVSD X5, X1
	MOVSD (DI)(AX*8), X6
	ADDSD X1, X6
	MOVSD X6, (DI)(AX*8)
	INCQ AX
	JMP avxtail

avxdone:
	RET

// func addProducts4AVX(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)
//
// dst[j] = dst[j] + (((a0*x0[j] + a1*x1[j]) + a2*x2[j]) + a3*x3[j])
TEXT ·addProducts4AVX(SB), NOSPLIT, $0-152
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x0_base+24(FP), SI
	MOVQ x1_base+48(FP), DX
	MOVQ x2_base+72(FP), R8
	MOVQ x3_base+96(FP), R9
	VBROADCASTSD a0+120(FP), Y8
	VBROADCASTSD a1+128(FP), Y9
	VBROADCASTSD a2+136(FP), Y10
	VBROADCASTSD a3+144(FP), Y11
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-4, BX

a4quads:
	CMPQ AX, BX
	JGE a4tail
	VMULPD (SI)(AX*8), Y8, Y0
	VMULPD (DX)(AX*8), Y9, Y1
	VADDPD Y1, Y0, Y0
	VMULPD (R8)(AX*8), Y10, Y2
	VADDPD Y2, Y0, Y0
	VMULPD (R9)(AX*8), Y11, Y3
	VADDPD Y3, Y0, Y0
	VADDPD (DI)(AX*8), Y0, Y4
	VMOVUPD Y4, (DI)(AX*8)
	ADDQ $4, AX
	JMP a4quads

a4tail:
	VZEROUPPER
	CMPQ AX, CX
	JGE a4done
	MOVSD (SI)(AX*8), X0
	MULSD X8, X0
	MOVSD (DX)(AX*8), X1
	MULSD X9, X1
	ADDSD X1, X0
	MOVSD (R8)(AX*8), X2
	MULSD X10, X2
	ADDSD X2, X0
	MOVSD (R9)(AX*8), X3
	MULSD X11, X3
	ADDSD X3, X0
	MOVSD (DI)(AX*8), X4
	ADDSD X0, X4
	MOVSD X4, (DI)(AX*8)
	INCQ AX
	JMP a4tail

a4done:
	RET

// func addProducts6AVX(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)
//
// dst[j] = dst[j] + (((((a0*x0[j] + a1*x1[j]) + a2*x2[j]) + a3*x3[j]) + a4*x4[j]) + a5*x5[j])
TEXT ·addProducts6AVX(SB), NOSPLIT, $0-216
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x0_base+24(FP), SI
	MOVQ x1_base+48(FP), DX
	MOVQ x2_base+72(FP), R8
	MOVQ x3_base+96(FP), R9
	MOVQ x4_base+120(FP), R10
	MOVQ x5_base+144(FP), R11
	VBROADCASTSD a0+168(FP), Y8
	VBROADCASTSD a1+176(FP), Y9
	VBROADCASTSD a2+184(FP), Y10
	VBROADCASTSD a3+192(FP), Y11
	VBROADCASTSD a4+200(FP), Y12
	VBROADCASTSD a5+208(FP), Y13
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-4, BX

a6quads:
	CMPQ AX, BX
	JGE a6tail
	VMULPD (SI)(AX*8), Y8, Y0
	VMULPD (DX)(AX*8), Y9, Y1
	VADDPD Y1, Y0, Y0
	VMULPD (R8)(AX*8), Y10, Y2
	VADDPD Y2, Y0, Y0
	VMULPD (R9)(AX*8), Y11, Y3
	VADDPD Y3, Y0, Y0
	VMULPD (R10)(AX*8), Y12, Y1
	VADDPD Y1, Y0, Y0
	VMULPD (R11)(AX*8), Y13, Y2
	VADDPD Y2, Y0, Y0
	VADDPD (DI)(AX*8), Y0, Y4
	VMOVUPD Y4, (DI)(AX*8)
	ADDQ $4, AX
	JMP a6quads

a6tail:
	VZEROUPPER
	CMPQ AX, CX
	JGE a6done
	MOVSD (SI)(AX*8), X0
	MULSD X8, X0
	MOVSD (DX)(AX*8), X1
	MULSD X9, X1
	ADDSD X1, X0
	MOVSD (R8)(AX*8), X2
	MULSD X10, X2
	ADDSD X2, X0
	MOVSD (R9)(AX*8), X3
	MULSD X11, X3
	ADDSD X3, X0
	MOVSD (R10)(AX*8), X1
	MULSD X12, X1
	ADDSD X1, X0
	MOVSD (R11)(AX*8), X2
	MULSD X13, X2
	ADDSD X2, X0
	MOVSD (DI)(AX*8), X4
	ADDSD X0, X4
	MOVSD X4, (DI)(AX*8)
	INCQ AX
	JMP a6tail

a6done:
	RET

// func matVecAVX(dst, w, b, z []float64)
//
// For every row r < len(dst) (a multiple of 8) of w (stride 200 float64s):
// dst[r] = b[r] + s_r, where s_r = 0 + w[r][0]*z[0] + w[r][1]*z[1] + ...
// summed in order of j < len(z) (a multiple of 4), as matVecGo does. Each
// lane of an accumulator is one row; four rows' next four weights are
// transposed into lanes (unpack + permute), so the sums keep their order.
// Two groups of four rows give two independent chains of additions.
TEXT ·matVecAVX(SB), NOSPLIT, $0-96
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ w_base+24(FP), SI
	MOVQ b_base+48(FP), DX
	MOVQ z_base+72(FP), R8
	MOVQ z_len+80(FP), R9
	XORQ R11, R11

mvrows:
	CMPQ R11, CX
	JGE mvdone
	MOVQ R11, BX
	IMULQ $1600, BX
	ADDQ SI, BX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ AX, AX

mvcols:
	CMPQ AX, R9
	JGE mvstore
	VBROADCASTSD 0(R8)(AX*8), Y10
	VBROADCASTSD 8(R8)(AX*8), Y11
	VBROADCASTSD 16(R8)(AX*8), Y12
	VBROADCASTSD 24(R8)(AX*8), Y13
	VMOVUPD 0(BX)(AX*8), Y2
	VMOVUPD 1600(BX)(AX*8), Y3
	VMOVUPD 3200(BX)(AX*8), Y4
	VMOVUPD 4800(BX)(AX*8), Y5
	VUNPCKLPD Y3, Y2, Y6
	VUNPCKHPD Y3, Y2, Y7
	VUNPCKLPD Y5, Y4, Y8
	VUNPCKHPD Y5, Y4, Y9
	VPERM2F128 $0x20, Y8, Y6, Y2
	VPERM2F128 $0x20, Y9, Y7, Y3
	VPERM2F128 $0x31, Y8, Y6, Y4
	VPERM2F128 $0x31, Y9, Y7, Y5
	VMULPD Y10, Y2, Y2
	VADDPD Y2, Y0, Y0
	VMULPD Y11, Y3, Y3
	VADDPD Y3, Y0, Y0
	VMULPD Y12, Y4, Y4
	VADDPD Y4, Y0, Y0
	VMULPD Y13, Y5, Y5
	VADDPD Y5, Y0, Y0
	VMOVUPD 6400(BX)(AX*8), Y2
	VMOVUPD 8000(BX)(AX*8), Y3
	VMOVUPD 9600(BX)(AX*8), Y4
	VMOVUPD 11200(BX)(AX*8), Y5
	VUNPCKLPD Y3, Y2, Y6
	VUNPCKHPD Y3, Y2, Y7
	VUNPCKLPD Y5, Y4, Y8
	VUNPCKHPD Y5, Y4, Y9
	VPERM2F128 $0x20, Y8, Y6, Y2
	VPERM2F128 $0x20, Y9, Y7, Y3
	VPERM2F128 $0x31, Y8, Y6, Y4
	VPERM2F128 $0x31, Y9, Y7, Y5
	VMULPD Y10, Y2, Y2
	VADDPD Y2, Y1, Y1
	VMULPD Y11, Y3, Y3
	VADDPD Y3, Y1, Y1
	VMULPD Y12, Y4, Y4
	VADDPD Y4, Y1, Y1
	VMULPD Y13, Y5, Y5
	VADDPD Y5, Y1, Y1
	ADDQ $4, AX
	JMP mvcols

mvstore:
	VADDPD (DX)(R11*8), Y0, Y0
	VMOVUPD Y0, (DI)(R11*8)
	VADDPD 32(DX)(R11*8), Y1, Y1
	VMOVUPD Y1, 32(DI)(R11*8)
	ADDQ $8, R11
	JMP mvrows

mvdone:
	VZEROUPPER
	RET

// func adamAVX512(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)
//
// adamAVX with eight lanes, for len(th) a multiple of 8.
TEXT ·adamAVX512(SB), NOSPLIT, $0-152
	MOVQ th_base+0(FP), DI
	MOVQ th_len+8(FP), CX
	MOVQ m_base+24(FP), SI
	MOVQ v_base+48(FP), DX
	MOVQ g_base+72(FP), R8
	VBROADCASTSD step+96(FP), Z8
	VBROADCASTSD inv+104(FP), Z9
	VBROADCASTSD b1+112(FP), Z10
	VBROADCASTSD ob1+120(FP), Z11
	VBROADCASTSD b2+128(FP), Z12
	VBROADCASTSD ob2+136(FP), Z13
	VBROADCASTSD eps+144(FP), Z14
	XORQ AX, AX

octs:
	CMPQ AX, CX
	JGE octsdone
	VMOVUPD (R8)(AX*8), Z0
	VMULPD (SI)(AX*8), Z10, Z1
	VMULPD Z0, Z11, Z2
	VADDPD Z2, Z1, Z1
	VMOVUPD Z1, (SI)(AX*8)
	VMULPD (DX)(AX*8), Z12, Z3
	VMULPD Z0, Z13, Z4
	VMULPD Z0, Z4, Z4
	VADDPD Z4, Z3, Z3
	VMOVUPD Z3, (DX)(AX*8)
	VSQRTPD Z3, Z5
	VMULPD Z9, Z5, Z5
	VADDPD Z14, Z5, Z5
	VMULPD Z8, Z1, Z1
	VDIVPD Z5, Z1, Z1
	VADDPD (DI)(AX*8), Z1, Z6
	VMOVUPD Z6, (DI)(AX*8)
	ADDQ $8, AX
	JMP octs

octsdone:
	VZEROUPPER
	RET

// func addProducts4AVX512(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)
//
// addProducts4AVX with eight lanes, for len(dst) a multiple of 8.
TEXT ·addProducts4AVX512(SB), NOSPLIT, $0-152
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x0_base+24(FP), SI
	MOVQ x1_base+48(FP), DX
	MOVQ x2_base+72(FP), R8
	MOVQ x3_base+96(FP), R9
	VBROADCASTSD a0+120(FP), Z8
	VBROADCASTSD a1+128(FP), Z9
	VBROADCASTSD a2+136(FP), Z10
	VBROADCASTSD a3+144(FP), Z11
	XORQ AX, AX

p4octs:
	CMPQ AX, CX
	JGE p4done
	VMULPD (SI)(AX*8), Z8, Z0
	VMULPD (DX)(AX*8), Z9, Z1
	VADDPD Z1, Z0, Z0
	VMULPD (R8)(AX*8), Z10, Z2
	VADDPD Z2, Z0, Z0
	VMULPD (R9)(AX*8), Z11, Z3
	VADDPD Z3, Z0, Z0
	VADDPD (DI)(AX*8), Z0, Z4
	VMOVUPD Z4, (DI)(AX*8)
	ADDQ $8, AX
	JMP p4octs

p4done:
	VZEROUPPER
	RET

// func addProducts6AVX512(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)
//
// addProducts6AVX with eight lanes, for len(dst) a multiple of 8.
TEXT ·addProducts6AVX512(SB), NOSPLIT, $0-216
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x0_base+24(FP), SI
	MOVQ x1_base+48(FP), DX
	MOVQ x2_base+72(FP), R8
	MOVQ x3_base+96(FP), R9
	MOVQ x4_base+120(FP), R10
	MOVQ x5_base+144(FP), R11
	VBROADCASTSD a0+168(FP), Z8
	VBROADCASTSD a1+176(FP), Z9
	VBROADCASTSD a2+184(FP), Z10
	VBROADCASTSD a3+192(FP), Z11
	VBROADCASTSD a4+200(FP), Z12
	VBROADCASTSD a5+208(FP), Z13
	XORQ AX, AX

p6octs:
	CMPQ AX, CX
	JGE p6done
	VMULPD (SI)(AX*8), Z8, Z0
	VMULPD (DX)(AX*8), Z9, Z1
	VADDPD Z1, Z0, Z0
	VMULPD (R8)(AX*8), Z10, Z2
	VADDPD Z2, Z0, Z0
	VMULPD (R9)(AX*8), Z11, Z3
	VADDPD Z3, Z0, Z0
	VMULPD (R10)(AX*8), Z12, Z1
	VADDPD Z1, Z0, Z0
	VMULPD (R11)(AX*8), Z13, Z2
	VADDPD Z2, Z0, Z0
	VADDPD (DI)(AX*8), Z0, Z4
	VMOVUPD Z4, (DI)(AX*8)
	ADDQ $8, AX
	JMP p6octs

p6done:
	VZEROUPPER
	RET

// Constants of math.Exp2's algorithm (fdlibm's exp: argument reduction by
// ln 2 in two parts and a rational approximation), as float64 bits, with
// the sign mask and the exponent bias.
DATA exp2c<>+0(SB)/8, $0x3fe0000000000000  // 0.5
DATA exp2c<>+8(SB)/8, $0x3fe62e42fee00000  // Ln2Hi
DATA exp2c<>+16(SB)/8, $0xbdea39ef35793c76 // -Ln2Lo
DATA exp2c<>+24(SB)/8, $0x3fc5555555555555 // P1
DATA exp2c<>+32(SB)/8, $0xbf66c16c16bebd93 // P2
DATA exp2c<>+40(SB)/8, $0x3f11566aaf25de2c // P3
DATA exp2c<>+48(SB)/8, $0xbebbbd41c5d26bf1 // P4
DATA exp2c<>+56(SB)/8, $0x3e66376972bea4d0 // P5
DATA exp2c<>+64(SB)/8, $0x3ff0000000000000 // 1
DATA exp2c<>+72(SB)/8, $0x4000000000000000 // 2
DATA exp2c<>+80(SB)/8, $0x8000000000000000 // sign bit
DATA exp2c<>+88(SB)/8, $1023               // exponent bias
GLOBL exp2c<>(SB), RODATA|NOPTR, $96

// func exp2AVX512(dst, x []float64)
//
// dst[i] = 2**x[i] for len(dst) (a multiple of 8) elements, eight lanes at
// a time, with math.Exp2's operations in its order (exp.go: exp2 and
// expmulti):
//   k  = trunc(x + copysign(0.5, x))   (0 for ±0, as x ± 0.5 truncates to 0)
//   t  = x - k; hi = t*Ln2Hi; lo = t*(-Ln2Lo) (= (-t)*Ln2Lo exactly)
//   r  = hi - lo; s = r*r
//   c  = r - s*(P1 + s*(P2 + s*(P3 + s*(P4 + s*P5))))
//   y  = 1 - ((lo - (r*c)/(2 - c)) - hi)
//   dst = y * 2**k
// The last step equals math.Ldexp(y, k) only where the result is normal,
// and the first needs k to fit 32 bits: lanes with |x| > 1000 (or NaN) are
// left for the caller to redo with math.Exp2.
TEXT ·exp2AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	VBROADCASTSD exp2c<>+0(SB), Z16
	VBROADCASTSD exp2c<>+8(SB), Z17
	VBROADCASTSD exp2c<>+16(SB), Z18
	VBROADCASTSD exp2c<>+24(SB), Z19
	VBROADCASTSD exp2c<>+32(SB), Z20
	VBROADCASTSD exp2c<>+40(SB), Z21
	VBROADCASTSD exp2c<>+48(SB), Z22
	VBROADCASTSD exp2c<>+56(SB), Z23
	VBROADCASTSD exp2c<>+64(SB), Z24
	VBROADCASTSD exp2c<>+72(SB), Z25
	VPBROADCASTQ exp2c<>+80(SB), Z26
	VPBROADCASTQ exp2c<>+88(SB), Z27
	XORQ AX, AX

e2octs:
	CMPQ AX, CX
	JGE e2done
	VMOVUPD (SI)(AX*8), Z0
	VPANDQ Z26, Z0, Z1
	VPORQ Z16, Z1, Z1
	VADDPD Z1, Z0, Z1
	VCVTTPD2DQ Z1, Y2
	VCVTDQ2PD Y2, Z3
	VSUBPD Z3, Z0, Z4
	VMULPD Z17, Z4, Z5
	VMULPD Z18, Z4, Z6
	VSUBPD Z6, Z5, Z7
	VMULPD Z7, Z7, Z8
	VMULPD Z23, Z8, Z9
	VADDPD Z22, Z9, Z9
	VMULPD Z9, Z8, Z9
	VADDPD Z21, Z9, Z9
	VMULPD Z9, Z8, Z9
	VADDPD Z20, Z9, Z9
	VMULPD Z9, Z8, Z9
	VADDPD Z19, Z9, Z9
	VMULPD Z9, Z8, Z9
	VSUBPD Z9, Z7, Z10
	VMULPD Z10, Z7, Z11
	VSUBPD Z10, Z25, Z12
	VDIVPD Z12, Z11, Z11
	VSUBPD Z11, Z6, Z11
	VSUBPD Z5, Z11, Z11
	VSUBPD Z11, Z24, Z11
	VPMOVSXDQ Y2, Z13
	VPADDQ Z27, Z13, Z13
	VPSLLQ $52, Z13, Z13
	VMULPD Z13, Z11, Z11
	VMOVUPD Z11, (DI)(AX*8)
	ADDQ $8, AX
	JMP e2octs

e2done:
	VZEROUPPER
	RET
