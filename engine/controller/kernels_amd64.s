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
