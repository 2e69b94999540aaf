#include "textflag.h"

// Adam and the products' sums come in two widths, four lanes (AVX, Y
// registers) and eight (AVX-512, Z registers), from one body each: the
// bodies below name their registers by aliases, which each width defines
// before its TEXT and undefines after. Each lane does the Go definition's
// operations in its order; the AVX kernels finish the last len%4 elements
// one at a time, the AVX-512 ones take a multiple of 8 only.

// Adam's vector step at element AX (adamGo's order of operations):
//   m[i] = b1*m[i] + ob1*g[i]
//   v[i] = b2*v[i] + (ob2*g[i])*g[i]
//   th[i] = th[i] + (step*m[i]) / (sqrt(v[i])*inv + eps)
#define ADAM_ARGS \
	MOVQ th_base+0(FP), DI; \
	MOVQ th_len+8(FP), CX; \
	MOVQ m_base+24(FP), SI; \
	MOVQ v_base+48(FP), DX; \
	MOVQ g_base+72(FP), R8; \
	VBROADCASTSD step+96(FP), A_STEP; \
	VBROADCASTSD inv+104(FP), A_INV; \
	VBROADCASTSD b1+112(FP), A_B1; \
	VBROADCASTSD ob1+120(FP), A_OB1; \
	VBROADCASTSD b2+128(FP), A_B2; \
	VBROADCASTSD ob2+136(FP), A_OB2; \
	VBROADCASTSD eps+144(FP), A_EPS; \
	XORQ AX, AX

#define ADAM_STEP \
	VMOVUPD (R8)(AX*8), A_G; \
	VMULPD (SI)(AX*8), A_B1, A_M; \
	VMULPD A_G, A_OB1, A_T; \
	VADDPD A_T, A_M, A_M; \
	VMOVUPD A_M, (SI)(AX*8); \
	VMULPD (DX)(AX*8), A_B2, A_V; \
	VMULPD A_G, A_OB2, A_T; \
	VMULPD A_G, A_T, A_T; \
	VADDPD A_T, A_V, A_V; \
	VMOVUPD A_V, (DX)(AX*8); \
	VSQRTPD A_V, A_D; \
	VMULPD A_INV, A_D, A_D; \
	VADDPD A_EPS, A_D, A_D; \
	VMULPD A_STEP, A_M, A_M; \
	VDIVPD A_D, A_M, A_M; \
	VADDPD (DI)(AX*8), A_M, A_T; \
	VMOVUPD A_T, (DI)(AX*8)

// The sums' vector steps at element AX:
//   dst[j] = dst[j] + (((a0*x0[j] + a1*x1[j]) + a2*x2[j]) + a3*x3[j])
// and the same with six terms.
#define P4_ARGS \
	MOVQ dst_base+0(FP), DI; \
	MOVQ dst_len+8(FP), CX; \
	MOVQ x0_base+24(FP), SI; \
	MOVQ x1_base+48(FP), DX; \
	MOVQ x2_base+72(FP), R8; \
	MOVQ x3_base+96(FP), R9; \
	VBROADCASTSD a0+120(FP), P_A0; \
	VBROADCASTSD a1+128(FP), P_A1; \
	VBROADCASTSD a2+136(FP), P_A2; \
	VBROADCASTSD a3+144(FP), P_A3; \
	XORQ AX, AX

#define P4_STEP \
	VMULPD (SI)(AX*8), P_A0, P_S; \
	VMULPD (DX)(AX*8), P_A1, P_T; \
	VADDPD P_T, P_S, P_S; \
	VMULPD (R8)(AX*8), P_A2, P_T; \
	VADDPD P_T, P_S, P_S; \
	VMULPD (R9)(AX*8), P_A3, P_T; \
	VADDPD P_T, P_S, P_S

#define P6_ARGS \
	MOVQ dst_base+0(FP), DI; \
	MOVQ dst_len+8(FP), CX; \
	MOVQ x0_base+24(FP), SI; \
	MOVQ x1_base+48(FP), DX; \
	MOVQ x2_base+72(FP), R8; \
	MOVQ x3_base+96(FP), R9; \
	MOVQ x4_base+120(FP), R10; \
	MOVQ x5_base+144(FP), R11; \
	VBROADCASTSD a0+168(FP), P_A0; \
	VBROADCASTSD a1+176(FP), P_A1; \
	VBROADCASTSD a2+184(FP), P_A2; \
	VBROADCASTSD a3+192(FP), P_A3; \
	VBROADCASTSD a4+200(FP), P_A4; \
	VBROADCASTSD a5+208(FP), P_A5; \
	XORQ AX, AX

#define P6_STEP \
	P4_STEP; \
	VMULPD (R10)(AX*8), P_A4, P_T; \
	VADDPD P_T, P_S, P_S; \
	VMULPD (R11)(AX*8), P_A5, P_T; \
	VADDPD P_T, P_S, P_S

// P_STORE adds the sum to dst.
#define P_STORE \
	VADDPD (DI)(AX*8), P_S, P_S; \
	VMOVUPD P_S, (DI)(AX*8)

// The same sums one element at a time, for the AVX kernels' last len%4
// (the coefficients are in the low lanes of X8–X13).
#define P4_SCALAR_SUM \
	MOVSD (SI)(AX*8), X0; \
	MULSD X8, X0; \
	MOVSD (DX)(AX*8), X1; \
	MULSD X9, X1; \
	ADDSD X1, X0; \
	MOVSD (R8)(AX*8), X2; \
	MULSD X10, X2; \
	ADDSD X2, X0; \
	MOVSD (R9)(AX*8), X3; \
	MULSD X11, X3; \
	ADDSD X3, X0

#define P_SCALAR_STORE \
	MOVSD (DI)(AX*8), X4; \
	ADDSD X0, X4; \
	MOVSD X4, (DI)(AX*8)

#define P4_SCALAR \
	P4_SCALAR_SUM; \
	P_SCALAR_STORE

#define P6_SCALAR \
	P4_SCALAR_SUM; \
	MOVSD (R10)(AX*8), X1; \
	MULSD X12, X1; \
	ADDSD X1, X0; \
	MOVSD (R11)(AX*8), X2; \
	MULSD X13, X2; \
	ADDSD X2, X0; \
	P_SCALAR_STORE

// ---- four lanes (AVX) ----

#define A_G Y0
#define A_M Y1
#define A_T Y2
#define A_V Y3
#define A_D Y5
#define A_STEP Y8
#define A_INV Y9
#define A_B1 Y10
#define A_OB1 Y11
#define A_B2 Y12
#define A_OB2 Y13
#define A_EPS Y14
#define P_S Y0
#define P_T Y1
#define P_A0 Y8
#define P_A1 Y9
#define P_A2 Y10
#define P_A3 Y11
#define P_A4 Y12
#define P_A5 Y13

// func adamAVX(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)
TEXT ·adamAVX(SB), NOSPLIT, $0-152
	ADAM_ARGS
	MOVQ CX, BX
	ANDQ $-4, BX

quads:
	CMPQ AX, BX
	JGE tail
	ADAM_STEP
	ADDQ $4, AX
	JMP quads

tail:
	VZEROUPPER
	CMPQ AX, CX
	JGE done
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
	JMP tail

done:
	RET

// func addProducts4AVX(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)
TEXT ·addProducts4AVX(SB), NOSPLIT, $0-152
	P4_ARGS
	MOVQ CX, BX
	ANDQ $-4, BX

quads:
	CMPQ AX, BX
	JGE tail
	P4_STEP
	P_STORE
	ADDQ $4, AX
	JMP quads

tail:
	VZEROUPPER
	CMPQ AX, CX
	JGE done
	P4_SCALAR
	INCQ AX
	JMP tail

done:
	RET

// func addProducts6AVX(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)
TEXT ·addProducts6AVX(SB), NOSPLIT, $0-216
	P6_ARGS
	MOVQ CX, BX
	ANDQ $-4, BX

quads:
	CMPQ AX, BX
	JGE tail
	P6_STEP
	P_STORE
	ADDQ $4, AX
	JMP quads

tail:
	VZEROUPPER
	CMPQ AX, CX
	JGE done
	P6_SCALAR
	INCQ AX
	JMP tail

done:
	RET

#undef A_G
#undef A_M
#undef A_T
#undef A_V
#undef A_D
#undef A_STEP
#undef A_INV
#undef A_B1
#undef A_OB1
#undef A_B2
#undef A_OB2
#undef A_EPS
#undef P_S
#undef P_T
#undef P_A0
#undef P_A1
#undef P_A2
#undef P_A3
#undef P_A4
#undef P_A5

// ---- eight lanes (AVX-512), for lengths that are a multiple of 8 ----

#define A_G Z0
#define A_M Z1
#define A_T Z2
#define A_V Z3
#define A_D Z5
#define A_STEP Z8
#define A_INV Z9
#define A_B1 Z10
#define A_OB1 Z11
#define A_B2 Z12
#define A_OB2 Z13
#define A_EPS Z14
#define P_S Z0
#define P_T Z1
#define P_A0 Z8
#define P_A1 Z9
#define P_A2 Z10
#define P_A3 Z11
#define P_A4 Z12
#define P_A5 Z13

// func adamAVX512(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)
TEXT ·adamAVX512(SB), NOSPLIT, $0-152
	ADAM_ARGS

octs:
	CMPQ AX, CX
	JGE done
	ADAM_STEP
	ADDQ $8, AX
	JMP octs

done:
	VZEROUPPER
	RET

// func addProducts4AVX512(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)
TEXT ·addProducts4AVX512(SB), NOSPLIT, $0-152
	P4_ARGS

octs:
	CMPQ AX, CX
	JGE done
	P4_STEP
	P_STORE
	ADDQ $8, AX
	JMP octs

done:
	VZEROUPPER
	RET

// func addProducts6AVX512(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)
TEXT ·addProducts6AVX512(SB), NOSPLIT, $0-216
	P6_ARGS

octs:
	CMPQ AX, CX
	JGE done
	P6_STEP
	P_STORE
	ADDQ $8, AX
	JMP octs

done:
	VZEROUPPER
	RET

#undef A_G
#undef A_M
#undef A_T
#undef A_V
#undef A_D
#undef A_STEP
#undef A_INV
#undef A_B1
#undef A_OB1
#undef A_B2
#undef A_OB2
#undef A_EPS
#undef P_S
#undef P_T
#undef P_A0
#undef P_A1
#undef P_A2
#undef P_A3
#undef P_A4
#undef P_A5

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
