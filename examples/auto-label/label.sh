#!/usr/bin/env bash
# Labels the repository's fixture images with the tiny test model (random weights: it answers with random text, and
# names "motorc" on coins.png when asked for "tree,motorc"), then reads the COCO file back.
# With a real model: --model Xenova/paligemma-3b-mix-224 (the default) and labels of your own.
set -euo pipefail
cd "$(dirname "$0")"
paligemma="node ../../packages/server/dist/cli.js"
status=0
$paligemma label ../../fixtures/images --labels tree,motorc --out out/labels.json --model ../../fixtures/tiny-paligemma || status=$?
# 3 means the dataset was written but some images failed (listed in out/labels.json.errors.jsonl).
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
node read-coco.mjs out/labels.json
