;; SIMD kernels for Pillow-exact resampling of RGB bytes (resample-simd.ts lays out the memory they read).
;; Assembled into resample-kernels-wasm.ts by `pnpm exec tsx packages/core/scripts/compile-wat.ts`.
;; The integer results are those of Pillow's 32-bit fixed-point C code: same products, same sums, same shifts.
(module
  (import "env" "memory" (memory 1))

  ;; Horizontal pass over one row of `pixels` RGB pixels at `row`. First the row is split into three i16 planes
  ;; (`planes`, `+ planeStride`, `+ 2 · planeStride`), 16 pixels at a time. Then for every output pixel x:
  ;; `groupCounts[x]` groups of 8 taps from plane element `starts[x] / 2`; each group has a 32-byte weight entry:
  ;; i16x8 of the 8 weights' high bits (w >> 11), then of their low 11 bits, shared by the three channels.
  ;; i32x4.dot of 8 plane values with each sums tap pairs; (high << 11) + low, summed across lanes, is the exact
  ;; 32-bit weighted sum (wrapping adds are associative). Each output writes 4 bytes: RGB and one byte that the
  ;; next output overwrites.
  (func (export "resampleRow")
    (param $row i32) (param $pixels i32) (param $planes i32) (param $planeStride i32)
    (param $out i32) (param $width i32) (param $weights i32) (param $starts i32) (param $groupCounts i32) (param $weightStride i32)
    (local $index i32) (local $plane i32) (local $source i32) (local $weight i32) (local $groups i32)
    (local $first v128) (local $second v128) (local $third v128) (local $part v128)
    (local $redHigh v128) (local $redLow v128) (local $greenHigh v128) (local $greenLow v128)
    (local $blueHigh v128) (local $blueLow v128) (local $weightHigh v128) (local $weightLow v128)
    (local $values v128) (local $red v128) (local $green v128) (local $blue v128)
    ;; Split: bytes r g b r g b … (48 per 16 pixels) → 16 reds, 16 greens, 16 blues, widened to i16.
    (local.set $plane (local.get $planes))
    (block $splitDone
      (loop $split
        (br_if $splitDone (i32.ge_u (local.get $index) (local.get $pixels)))
        (local.set $first (v128.load (local.get $row)))
        (local.set $second (v128.load offset=16 (local.get $row)))
        (local.set $third (v128.load offset=32 (local.get $row)))
        (local.set $part (i8x16.shuffle 0 3 6 9 12 15 18 21 24 27 30 0 0 0 0 0 (local.get $first) (local.get $second)))
        (local.set $values (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 17 20 23 26 29 (local.get $part) (local.get $third)))
        (v128.store (local.get $plane) (i16x8.extend_low_i8x16_u (local.get $values)))
        (v128.store offset=16 (local.get $plane) (i16x8.extend_high_i8x16_u (local.get $values)))
        (local.set $part (i8x16.shuffle 1 4 7 10 13 16 19 22 25 28 31 0 0 0 0 0 (local.get $first) (local.get $second)))
        (local.set $values (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 18 21 24 27 30 (local.get $part) (local.get $third)))
        (v128.store (i32.add (local.get $plane) (local.get $planeStride)) (i16x8.extend_low_i8x16_u (local.get $values)))
        (v128.store offset=16 (i32.add (local.get $plane) (local.get $planeStride)) (i16x8.extend_high_i8x16_u (local.get $values)))
        (local.set $part (i8x16.shuffle 2 5 8 11 14 17 20 23 26 29 0 0 0 0 0 0 (local.get $first) (local.get $second)))
        (local.set $values (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 16 19 22 25 28 31 (local.get $part) (local.get $third)))
        (v128.store (i32.add (local.get $plane) (i32.shl (local.get $planeStride) (i32.const 1))) (i16x8.extend_low_i8x16_u (local.get $values)))
        (v128.store offset=16 (i32.add (local.get $plane) (i32.shl (local.get $planeStride) (i32.const 1))) (i16x8.extend_high_i8x16_u (local.get $values)))
        (local.set $row (i32.add (local.get $row) (i32.const 48)))
        (local.set $plane (i32.add (local.get $plane) (i32.const 32)))
        (local.set $index (i32.add (local.get $index) (i32.const 16)))
        (br $split)))
    (local.set $index (i32.const 0))
    (block $rowDone
      (loop $outputs
        (br_if $rowDone (i32.ge_u (local.get $index) (local.get $width)))
        (local.set $source (i32.add (local.get $planes) (i32.load (i32.add (local.get $starts) (i32.shl (local.get $index) (i32.const 2))))))
        (local.set $groups (i32.load (i32.add (local.get $groupCounts) (i32.shl (local.get $index) (i32.const 2)))))
        (local.set $weight (i32.add (local.get $weights) (i32.mul (local.get $index) (local.get $weightStride))))
        (local.set $redHigh (v128.const i32x4 0 0 0 0))
        (local.set $redLow (local.get $redHigh))
        (local.set $greenHigh (local.get $redHigh))
        (local.set $greenLow (local.get $redHigh))
        (local.set $blueHigh (local.get $redHigh))
        (local.set $blueLow (local.get $redHigh))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.eqz (local.get $groups)))
            (local.set $weightHigh (v128.load (local.get $weight)))
            (local.set $weightLow (v128.load offset=16 (local.get $weight)))
            (local.set $values (v128.load (local.get $source)))
            (local.set $redHigh (i32x4.add (local.get $redHigh) (i32x4.dot_i16x8_s (local.get $values) (local.get $weightHigh))))
            (local.set $redLow (i32x4.add (local.get $redLow) (i32x4.dot_i16x8_s (local.get $values) (local.get $weightLow))))
            (local.set $values (v128.load (i32.add (local.get $source) (local.get $planeStride))))
            (local.set $greenHigh (i32x4.add (local.get $greenHigh) (i32x4.dot_i16x8_s (local.get $values) (local.get $weightHigh))))
            (local.set $greenLow (i32x4.add (local.get $greenLow) (i32x4.dot_i16x8_s (local.get $values) (local.get $weightLow))))
            (local.set $values (v128.load (i32.add (local.get $source) (i32.shl (local.get $planeStride) (i32.const 1)))))
            (local.set $blueHigh (i32x4.add (local.get $blueHigh) (i32x4.dot_i16x8_s (local.get $values) (local.get $weightHigh))))
            (local.set $blueLow (i32x4.add (local.get $blueLow) (i32x4.dot_i16x8_s (local.get $values) (local.get $weightLow))))
            (local.set $source (i32.add (local.get $source) (i32.const 16)))
            (local.set $weight (i32.add (local.get $weight) (i32.const 32)))
            (local.set $groups (i32.sub (local.get $groups) (i32.const 1)))
            (br $taps)))
        (local.set $red (i32x4.add (i32x4.shl (local.get $redHigh) (i32.const 11)) (local.get $redLow)))
        (local.set $green (i32x4.add (i32x4.shl (local.get $greenHigh) (i32.const 11)) (local.get $greenLow)))
        (local.set $blue (i32x4.add (i32x4.shl (local.get $blueHigh) (i32.const 11)) (local.get $blueLow)))
        ;; Sum each channel's 4 lanes: (r0+r2, g0+g2, r1+r3, g1+g3) and (b0+b2, 0, b1+b3, 0) → (R, G, B, 0).
        (local.set $first
          (i32x4.add
            (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $red) (local.get $green))
            (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $red) (local.get $green))))
        (local.set $second
          (i32x4.add
            (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 16 17 18 19 (local.get $blue) (v128.const i32x4 0 0 0 0))
            (i8x16.shuffle 8 9 10 11 16 17 18 19 12 13 14 15 16 17 18 19 (local.get $blue) (v128.const i32x4 0 0 0 0))))
        (local.set $values
          (i32x4.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $first) (local.get $second))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $first) (local.get $second))))
        ;; (sum + 2^21) >> 22, then saturate to 0..255 as Pillow's clip8 does.
        (local.set $values
          (i16x8.narrow_i32x4_s
            (i32x4.shr_s (i32x4.add (local.get $values) (v128.const i32x4 2097152 2097152 2097152 2097152)) (i32.const 22))
            (v128.const i32x4 0 0 0 0)))
        (v128.store32_lane 0
          (i32.add (local.get $out) (i32.mul (local.get $index) (i32.const 3)))
          (i8x16.narrow_i16x8_u (local.get $values) (local.get $values)))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
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
