;; SIMD kernels of the VQ-VAE mask decoder (see vae-layers.ts for the data layout; all addresses are byte offsets).
;; `compact` lists each input pixel's non-zero channels; `conv` gathers them into each output pixel, 16 output
;; channels at a time in four f32x4 accumulators (two sets, for even and odd inputs, so the adds can overlap).
(module
  (import "env" "memory" (memory 1))

  ;; For pixel p of a channels-last input: values[p*inChannels + n] = the n-th non-zero value,
  ;; offsets[p*inChannels + n] = its channel × outBytes (where its weights start), counts[p] = n.
  (func (export "compact")
    (param $input i32) (param $pixels i32) (param $inChannels i32) (param $outBytes i32)
    (param $values i32) (param $offsets i32) (param $counts i32)
    (local $pixel i32) (local $channel i32) (local $count i32) (local $row i32) (local $value f32)
    (local.set $pixel (i32.const 0))
    (block $pixelsDone
      (loop $pixelLoop
        (br_if $pixelsDone (i32.ge_u (local.get $pixel) (local.get $pixels)))
        (local.set $row (i32.shl (i32.mul (local.get $pixel) (local.get $inChannels)) (i32.const 2)))
        (local.set $count (i32.const 0))
        (local.set $channel (i32.const 0))
        (block $channelsDone
          (loop $channelLoop
            (br_if $channelsDone (i32.ge_u (local.get $channel) (local.get $inChannels)))
            (local.set $value (f32.load (i32.add (local.get $input)
              (i32.add (local.get $row) (i32.shl (local.get $channel) (i32.const 2))))))
            (if (f32.ne (local.get $value) (f32.const 0))
              (then
                (f32.store (i32.add (local.get $values)
                  (i32.add (local.get $row) (i32.shl (local.get $count) (i32.const 2)))) (local.get $value))
                (i32.store (i32.add (local.get $offsets)
                  (i32.add (local.get $row) (i32.shl (local.get $count) (i32.const 2))))
                  (i32.mul (local.get $channel) (local.get $outBytes)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $channel (i32.add (local.get $channel) (i32.const 1)))
            (br $channelLoop)))
        (i32.store (i32.add (local.get $counts) (i32.shl (local.get $pixel) (i32.const 2))) (local.get $count))
        (local.set $pixel (i32.add (local.get $pixel) (i32.const 1)))
        (br $pixelLoop))))

  ;; output[p][o] = bias[o] + Σ over links of p (input pixel q, tap t), over q's listed channels i:
  ;;   value(q, i) · weights[t][i][o]; ReLU when $relu ≠ 0. outBytes must be a multiple of 64 (16 channels).
  ;; links: pairs (input pixel, tap × inChannels × outBytes); starts[p] .. starts[p+1]: byte range of p's pairs.
  (func (export "conv")
    (param $pixels i32) (param $outBytes i32) (param $inChannels i32) (param $weights i32) (param $bias i32)
    (param $links i32) (param $starts i32) (param $values i32) (param $offsets i32) (param $counts i32)
    (param $output i32) (param $relu i32)
    (local $pixel i32) (local $block i32) (local $link i32) (local $linkEnd i32) (local $inputPixel i32)
    (local $tapBase i32) (local $row i32) (local $value i32) (local $offset i32) (local $valueEnd i32)
    (local $weight i32) (local $destination i32)
    (local $scale v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $pixel (i32.const 0))
    (block $pixelsDone
      (loop $pixelLoop
        (br_if $pixelsDone (i32.ge_u (local.get $pixel) (local.get $pixels)))
        (local.set $block (i32.const 0))
        (block $blocksDone
          (loop $blockLoop
            (br_if $blocksDone (i32.ge_u (local.get $block) (local.get $outBytes)))
            (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (local.get $block))))
            (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $block))))
            (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (local.get $block))))
            (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (local.get $block))))
            (local.set $b0 (v128.const f32x4 0 0 0 0))
            (local.set $b1 (v128.const f32x4 0 0 0 0))
            (local.set $b2 (v128.const f32x4 0 0 0 0))
            (local.set $b3 (v128.const f32x4 0 0 0 0))
            (local.set $link (i32.load (i32.add (local.get $starts) (i32.shl (local.get $pixel) (i32.const 2)))))
            (local.set $linkEnd (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $pixel) (i32.const 2)))))
            (block $linksDone
              (loop $linkLoop
                (br_if $linksDone (i32.ge_u (local.get $link) (local.get $linkEnd)))
                (local.set $inputPixel (i32.load (i32.add (local.get $links) (local.get $link))))
                (local.set $tapBase (i32.add (i32.add (local.get $weights) (local.get $block))
                  (i32.load offset=4 (i32.add (local.get $links) (local.get $link)))))
                (local.set $row (i32.shl (i32.mul (local.get $inputPixel) (local.get $inChannels)) (i32.const 2)))
                (local.set $value (i32.add (local.get $values) (local.get $row)))
                (local.set $offset (i32.add (local.get $offsets) (local.get $row)))
                (local.set $valueEnd (i32.add (local.get $value) (i32.shl
                  (i32.load (i32.add (local.get $counts) (i32.shl (local.get $inputPixel) (i32.const 2)))) (i32.const 2))))
                ;; Two listed channels per turn, one into each accumulator set.
                (block $pairsDone
                  (loop $pairLoop
                    (br_if $pairsDone (i32.gt_u (i32.add (local.get $value) (i32.const 8)) (local.get $valueEnd)))
                    (local.set $scale (f32x4.splat (f32.load (local.get $value))))
                    (local.set $weight (i32.add (local.get $tapBase) (i32.load (local.get $offset))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $scale) (v128.load offset=0 (local.get $weight)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $scale) (v128.load offset=16 (local.get $weight)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $scale) (v128.load offset=32 (local.get $weight)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $scale) (v128.load offset=48 (local.get $weight)))))
                    (local.set $scale (f32x4.splat (f32.load offset=4 (local.get $value))))
                    (local.set $weight (i32.add (local.get $tapBase) (i32.load offset=4 (local.get $offset))))
                    (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $scale) (v128.load offset=0 (local.get $weight)))))
                    (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $scale) (v128.load offset=16 (local.get $weight)))))
                    (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $scale) (v128.load offset=32 (local.get $weight)))))
                    (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $scale) (v128.load offset=48 (local.get $weight)))))
                    (local.set $value (i32.add (local.get $value) (i32.const 8)))
                    (local.set $offset (i32.add (local.get $offset) (i32.const 8)))
                    (br $pairLoop)))
                ;; An odd count leaves one.
                (if (i32.lt_u (local.get $value) (local.get $valueEnd))
                  (then
                    (local.set $scale (f32x4.splat (f32.load (local.get $value))))
                    (local.set $weight (i32.add (local.get $tapBase) (i32.load (local.get $offset))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $scale) (v128.load offset=0 (local.get $weight)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $scale) (v128.load offset=16 (local.get $weight)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $scale) (v128.load offset=32 (local.get $weight)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $scale) (v128.load offset=48 (local.get $weight)))))))
                (local.set $link (i32.add (local.get $link) (i32.const 8)))
                (br $linkLoop)))
            (local.set $a0 (f32x4.add (local.get $a0) (local.get $b0)))
            (local.set $a1 (f32x4.add (local.get $a1) (local.get $b1)))
            (local.set $a2 (f32x4.add (local.get $a2) (local.get $b2)))
            (local.set $a3 (f32x4.add (local.get $a3) (local.get $b3)))
            (if (local.get $relu)
              (then
                (local.set $a0 (f32x4.pmax (local.get $a0) (v128.const f32x4 0 0 0 0)))
                (local.set $a1 (f32x4.pmax (local.get $a1) (v128.const f32x4 0 0 0 0)))
                (local.set $a2 (f32x4.pmax (local.get $a2) (v128.const f32x4 0 0 0 0)))
                (local.set $a3 (f32x4.pmax (local.get $a3) (v128.const f32x4 0 0 0 0)))))
            (local.set $destination (i32.add (i32.add (local.get $output) (local.get $block))
              (i32.mul (local.get $pixel) (local.get $outBytes))))
            (v128.store offset=0 (local.get $destination) (local.get $a0))
            (v128.store offset=16 (local.get $destination) (local.get $a1))
            (v128.store offset=32 (local.get $destination) (local.get $a2))
            (v128.store offset=48 (local.get $destination) (local.get $a3))
            (local.set $block (i32.add (local.get $block) (i32.const 64)))
            (br $blockLoop)))
        (local.set $pixel (i32.add (local.get $pixel) (i32.const 1)))
        (br $pixelLoop))))
)
