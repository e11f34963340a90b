"""Loads a COCO annotations file, as `paligemma label` writes it, with pycocotools (the reference COCO API).

Usage: python read_coco.py out/labels.json
"""
import sys

from pycocotools.coco import COCO

coco = COCO(sys.argv[1] if len(sys.argv) > 1 else "out/labels.json")

for category in coco.loadCats(coco.getCatIds()):
    annotations = coco.getAnnIds(catIds=[category["id"]])
    images = coco.getImgIds(catIds=[category["id"]])
    print(f'{category["id"]} {category["name"]}: {len(annotations)} annotations in {len(images)} images')

for image in coco.loadImgs(coco.getImgIds()):
    annotations = coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]]))
    print(f'{image["file_name"]} ({image["width"]}x{image["height"]}): {len(annotations)} objects')
    for annotation in annotations:
        name = coco.loadCats([annotation["category_id"]])[0]["name"]
        x, y, width, height = annotation["bbox"]
        line = f"  {name} [{x:.1f}, {y:.1f}, {width:.1f}, {height:.1f}] area {annotation['area']:.0f}"
        if "segmentation" in annotation:
            # pycocotools rasterises the polygons: the mask a training loader would see.
            line += f", mask {int(coco.annToMask(annotation).sum())} px"
        print(line)
