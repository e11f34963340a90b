"""Loads a COCO file with pycocotools and evaluates its annotations against themselves (opt-in test helper).

Usage: python pycocotools-check.py <annotations.json>
Prints one JSON object: counts, each annotation's area as pycocotools rasterises its segmentation, and the
self-evaluation AP (1.0 when every annotation is well-formed: ids from 1, bbox, area, iscrowd, polygons).
"""
import contextlib
import io
import json
import sys

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

path = sys.argv[1]
with contextlib.redirect_stdout(io.StringIO()):
    ground_truth = COCO(path)
annotations = ground_truth.loadAnns(ground_truth.getAnnIds())
report = {
    "images": len(ground_truth.getImgIds()),
    "annotations": len(annotations),
    "categories": [category["name"] for category in ground_truth.loadCats(ground_truth.getCatIds())],
    "maskAreas": {str(a["id"]): int(ground_truth.annToMask(a).sum()) for a in annotations if "segmentation" in a},
}
if annotations:
    detections = [{**{k: a[k] for k in ("image_id", "category_id", "bbox")}, "score": 1.0} for a in annotations]
    if all("segmentation" in a for a in annotations):
        for detection, annotation in zip(detections, annotations):
            detection["segmentation"] = annotation["segmentation"]
    iou_types = ["bbox"] + (["segm"] if all("segmentation" in a for a in annotations) else [])
    for iou_type in iou_types:
        with contextlib.redirect_stdout(io.StringIO()):
            results = ground_truth.loadRes(detections)
            evaluation = COCOeval(ground_truth, results, iou_type)
            evaluation.evaluate()
            evaluation.accumulate()
            evaluation.summarize()
        report[f"{iou_type}AP50"] = round(float(evaluation.stats[1]), 6)
print(json.dumps(report))
