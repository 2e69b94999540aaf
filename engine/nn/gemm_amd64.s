#include "textflag.h"

// func rows2x4AVX(c0, c1, b0, b1, b2, b3 *float32, n int, a00, a01, a02, a03, a10, a11, a12, a13 float32)
//
// For j < n (a multiple of 8), eight lanes at a time, in gemmNN's order:
//   c0[j] = c0[j] + (((a00*b0[j] + a01*b1[j]) + a02*b2[j]) + a03*b3[j])
//   c1[j] = c1[j] + (((a10*b0[j] + a11*b1[j]) + a12*b2[j]) + a13*b3[j])
TEXT ·rows2x4AVX(SB), NOSPLIT, $0-88
	MOVQ c0+0(FP), DI
	MOVQ c1+8(FP), SI
	MOVQ b0+16(FP), R8
	MOVQ b1+24(FP), R9
	MOVQ b2+32(FP), R10
	MOVQ b3+40(FP), R11
	MOVQ n+48(FP), CX
	VBROADCASTSS a00+56(FP), Y0
	VBROADCASTSS a01+60(FP), Y1
	VBROADCASTSS a02+64(FP), Y2
	VBROADCASTSS a03+68(FP), Y3
	VBROADCASTSS a10+72(FP), Y4
	VBROADCASTSS a11+76(FP), Y5
	VBROADCASTSS a12+80(FP), Y6
	VBROADCASTSS a13+84(FP), Y7
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE done
	VMOVUPS (R8)(AX*4), Y8
	VMOVUPS (R9)(AX*4), Y9
	VMOVUPS (R10)(AX*4), Y10
	VMOVUPS (R11)(AX*4), Y11

	VMULPS Y8, Y0, Y12
	VMULPS Y9, Y1, Y13
	VADDPS Y13, Y12, Y12
	VMULPS Y10, Y2, Y13
	VADDPS Y13, Y12, Y12
	VMULPS Y11, Y3, Y13
	VADDPS Y13, Y12, Y12
	VADDPS (DI)(AX*4), Y12, Y12
	VMOVUPS Y12, (DI)(AX*4)

	VMULPS Y8, Y4, Y14
	VMULPS Y9, Y5, Y15
	VADDPS Y15, Y14, Y14
	VMULPS Y10, Y6, Y15
	VADDPS Y15, Y14, Y14
	VMULPS Y11, Y7, Y15
	VADDPS Y15, Y14, Y14
	VADDPS (SI)(AX*4), Y14, Y14
	VMOVUPS Y14, (SI)(AX*4)

	ADDQ $8, AX
	JMP loop

done:
	VZEROUPPER
	RET

// func ntRowAVX(c, a, panel *float32, k int)
//
// Eight columns of one row of gemmNT, in its order: panel holds k groups of
// eight values (b's columns j..j+7 at p), and for each lane
//   s = Σ_{p even} a[p]·b[p] (then a[k-1]·b[k-1] when k is odd),
//   t = Σ_{p odd} a[p]·b[p], each summed in order from zero,
//   c = c + (s + t).
TEXT ·ntRowAVX(SB), NOSPLIT, $0-32
	MOVQ c+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ panel+16(FP), R8
	MOVQ k+24(FP), CX
	MOVQ CX, DX
	ANDQ $-2, DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ AX, AX

pairs:
	CMPQ AX, DX
	JGE tail
	VBROADCASTSS (SI)(AX*4), Y2
	VMULPS (R8), Y2, Y2
	VADDPS Y2, Y0, Y0
	VBROADCASTSS 4(SI)(AX*4), Y3
	VMULPS 32(R8), Y3, Y3
	VADDPS Y3, Y1, Y1
	ADDQ $2, AX
	ADDQ $64, R8
	JMP pairs

tail:
	CMPQ AX, CX
	JGE sum
	VBROADCASTSS (SI)(AX*4), Y2
	VMULPS (R8), Y2, Y2
	VADDPS Y2, Y0, Y0

sum:
	VADDPS Y1, Y0, Y0
	VADDPS (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	VZEROUPPER
	RET
