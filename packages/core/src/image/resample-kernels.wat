;; SIMD kernels for Pillow-exact resampling of RGB bytes (see resize-image.ts for the layout they expect).
;; Compiled to resample-kernels-wasm.ts by `pnpm exec tsx packages/core/scripts/build-resample-kernels.ts`.
;; The integer results are those of Pillow's 32-bit fixed-point C code: same products, same sums, same shifts.
(module
  (import "env" "memory" (memory 1))

  ;; Horizontal pass over one row. For every output pixel: `pairCounts[x]` pairs of taps, starting at byte
  ;; `row + starts[x]`; each pair reads two source pixels (6 bytes) and two 32-byte weight vectors: i16 lanes
  ;; (w0, w1, w0, w1, w0, w1, 0, 0) holding the weights' high bits (w >> 11), then the low 11 bits. i32x4.dot of
  ;; (r0, r1, g0, g1, b0, b1, 0, 0) with each sums both taps per channel; sum = (high << 11) + low is the exact
  ;; 32-bit weighted sum. Each output writes 4 bytes (RGB and one byte the next output overwrites).
  (func (export "resampleRow")
    (param $row i32) (param $out i32) (param $width i32)
    (param $weights i32) (param $starts i32) (param $pairCounts i32) (param $weightStride i32)
    (local $x i32) (local $source i32) (local $weight i32) (local $pairs i32)
    (local $high v128) (local $low v128) (local $pixels v128) (local $words v128)
    (block $rowDone
      (loop $outputs
        (br_if $rowDone (i32.ge_u (local.get $x) (local.get $width)))
        (local.set $source (i32.add (local.get $row) (i32.load (i32.add (local.get $starts) (i32.shl (local.get $x) (i32.const 2))))))
        (local.set $pairs (i32.load (i32.add (local.get $pairCounts) (i32.shl (local.get $x) (i32.const 2)))))
        (local.set $weight (i32.add (local.get $weights) (i32.mul (local.get $x) (local.get $weightStride))))
        (local.set $high (v128.const i32x4 0 0 0 0))
        (local.set $low (v128.const i32x4 0 0 0 0))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.eqz (local.get $pairs)))
            ;; bytes r0 g0 b0 r1 g1 b1 → i16 lanes r0 r1 g0 g1 b0 b1 0 0 (zero bytes come from the second operand)
            (local.set $pixels
              (i8x16.shuffle 0 16 3 16 1 16 4 16 2 16 5 16 16 16 16 16
                (v128.load64_zero (local.get $source)) (v128.const i32x4 0 0 0 0)))
            (local.set $high (i32x4.add (local.get $high) (i32x4.dot_i16x8_s (local.get $pixels) (v128.load (local.get $weight)))))
            (local.set $low (i32x4.add (local.get $low) (i32x4.dot_i16x8_s (local.get $pixels) (v128.load offset=16 (local.get $weight)))))
            (local.set $source (i32.add (local.get $source) (i32.const 6)))
            (local.set $weight (i32.add (local.get $weight) (i32.const 32)))
            (local.set $pairs (i32.sub (local.get $pairs) (i32.const 1)))
            (br $taps)))
        ;; (sum + 2^21) >> 22, then saturate to 0..255 as Pillow's clip8 does.
        (local.set $words
          (i16x8.narrow_i32x4_s
            (i32x4.shr_s
              (i32x4.add (i32x4.add (i32x4.shl (local.get $high) (i32.const 11)) (local.get $low)) (v128.const i32x4 2097152 2097152 2097152 2097152))
              (i32.const 22))
            (v128.const i32x4 0 0 0 0)))
        (v128.store32_lane 0
          (i32.add (local.get $out) (i32.mul (local.get $x) (i32.const 3)))
          (i8x16.narrow_i16x8_u (local.get $words) (local.get $words)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $outputs))))

  ;; Vertical pass: output row y = Σ weights[y·taps + t] × input row (starts[y] + t), over counts[y] taps,
  ;; 16 bytes at a time across a row of `stride` bytes (a multiple of 16).
  (func (export "resampleColumns")
    (param $in i32) (param $stride i32) (param $out i32) (param $height i32)
    (param $weights i32) (param $starts i32) (param $counts i32) (param $taps i32)
    (local $y i32) (local $column i32) (local $source i32) (local $weight i32) (local $remaining i32)
    (local $sum0 v128) (local $sum1 v128) (local $sum2 v128) (local $sum3 v128)
    (local $bytes v128) (local $halves v128) (local $factor v128)
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $column (i32.const 0))
        (block $columnsDone
          (loop $columns
            (br_if $columnsDone (i32.ge_u (local.get $column) (local.get $stride)))
            (local.set $source
              (i32.add
                (i32.add (local.get $in) (local.get $column))
                (i32.mul (i32.load (i32.add (local.get $starts) (i32.shl (local.get $y) (i32.const 2)))) (local.get $stride))))
            (local.set $weight (i32.add (local.get $weights) (i32.shl (i32.mul (local.get $y) (local.get $taps)) (i32.const 2))))
            (local.set $remaining (i32.load (i32.add (local.get $counts) (i32.shl (local.get $y) (i32.const 2)))))
            (local.set $sum0 (v128.const i32x4 2097152 2097152 2097152 2097152))
            (local.set $sum1 (local.get $sum0))
            (local.set $sum2 (local.get $sum0))
            (local.set $sum3 (local.get $sum0))
            (block $tapsDone
              (loop $taps
                (br_if $tapsDone (i32.eqz (local.get $remaining)))
                (local.set $bytes (v128.load (local.get $source)))
                (local.set $factor (i32x4.splat (i32.load (local.get $weight))))
                (local.set $halves (i16x8.extend_low_i8x16_u (local.get $bytes)))
                (local.set $sum0 (i32x4.add (local.get $sum0) (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $halves)) (local.get $factor))))
                (local.set $sum1 (i32x4.add (local.get $sum1) (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $halves)) (local.get $factor))))
                (local.set $halves (i16x8.extend_high_i8x16_u (local.get $bytes)))
                (local.set $sum2 (i32x4.add (local.get $sum2) (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $halves)) (local.get $factor))))
                (local.set $sum3 (i32x4.add (local.get $sum3) (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $halves)) (local.get $factor))))
                (local.set $source (i32.add (local.get $source) (local.get $stride)))
                (local.set $weight (i32.add (local.get $weight) (i32.const 4)))
                (local.set $remaining (i32.sub (local.get $remaining) (i32.const 1)))
                (br $taps)))
            (v128.store
              (i32.add (i32.add (local.get $out) (i32.mul (local.get $y) (local.get $stride))) (local.get $column))
              (i8x16.narrow_i16x8_u
                (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $sum0) (i32.const 22)) (i32x4.shr_s (local.get $sum1) (i32.const 22)))
                (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $sum2) (i32.const 22)) (i32x4.shr_s (local.get $sum3) (i32.const 22)))))
            (local.set $column (i32.add (local.get $column) (i32.const 16)))
            (br $columns)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))
)
