/**
 * The output formats of `paligemma label`, by name: how each checks `--out` before a run and writes the finished
 * dataset (atomically) from the labeled images.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type DroppedObjects, type LabelTask, NO_DROPPED_OBJECTS, addDropped } from './annotation-objects.js';
import { type LabeledImage, cocoDataset } from './coco-dataset.js';
import { replaceFolder, writeFileAtomically } from './write-file-atomically.js';
import { yoloDataYaml, yoloLabelPath, yoloLabelText } from './yolo-labels.js';

/** A labeled image with the file it came from. */
export interface OutputImage extends LabeledImage {
  /** Absolute path of the image file. */
  path: string;
}

export interface OutputContext {
  task: LabelTask;
  labels: readonly string[];
  /** `--out`, resolved. */
  out: string;
  /** Every labeled image, in the run's order. */
  images: readonly OutputImage[];
}

export interface OutputFormat {
  /** For `--help`. */
  description: string;
  /** Throws (one line) when `--out` cannot take this format, before anything runs. */
  checkOut(out: string): Promise<void>;
  /**
   * Image names that cannot share the output, mapped to why (YOLO: two images whose label files would collide);
   * they are reported as failures and not labeled.
   */
  conflicts?(names: readonly string[]): Map<string, string>;
  /** Writes the dataset; returns the objects left out, by reason (`undefined` when the format keeps every object). */
  write(context: OutputContext): Promise<DroppedObjects | undefined>;
}

/** `--format` values. */
export type LabelFormat = 'coco' | 'yolo' | 'jsonl';

export const OUTPUT_FORMATS: Record<LabelFormat, OutputFormat> = {
  coco: {
    description: 'one COCO JSON file (images, categories, annotations), as pycocotools loads it',
    checkOut: refuseFolder,
    async write({ task, labels, out, images }) {
      const { dataset, dropped } = cocoDataset(images, { task, labels });
      await writeFileAtomically(out, JSON.stringify(dataset));
      return dropped;
    },
  },
  yolo: {
    description: 'an Ultralytics YOLO dataset folder: images/, labels/<image stem>.txt and data.yaml',
    async checkOut(out) {
      const entries: string[] = await readdir(out).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        if (error.code === 'ENOTDIR') throw new Error(`--out ${out} is a file; the yolo format writes a folder`);
        throw error;
      });
      // The folder is replaced as a whole when the run ends, so it must be empty or an earlier dataset of ours.
      if (entries.length > 0 && !entries.includes('data.yaml')) {
        throw new Error(`--out ${out} is a folder that holds other files (no data.yaml); choose a new or empty folder for the yolo format`);
      }
    },
    conflicts(names) {
      const owners = new Map<string, string>();
      const conflicts = new Map<string, string>();
      for (const name of names) {
        const labelPath = yoloLabelPath(name);
        const owner = owners.get(labelPath);
        if (owner === undefined) owners.set(labelPath, name);
        else conflicts.set(name, `its YOLO label file ${labelPath} would be ${owner}'s too (Ultralytics pairs images and labels by name without extension)`);
      }
      return conflicts;
    },
    async write({ task, labels, out, images }) {
      let dropped = { ...NO_DROPPED_OBJECTS };
      await replaceFolder(out, async (folder) => {
        await writeFile(join(folder, 'data.yaml'), yoloDataYaml(labels, task));
        for (const image of images) {
          const { text, dropped: left } = yoloLabelText(image.result, task, labels);
          dropped = addDropped(dropped, left);
          await writeInto(folder, yoloLabelPath(image.name), text);
          // A copy-on-write clone where the file system has them (no extra space), else a copy: Ultralytics reads
          // images from images/ and may rewrite a corrupt JPEG in place, so the originals are never linked.
          const copy = join(folder, 'images', image.name);
          await mkdir(dirname(copy), { recursive: true });
          await copyFile(image.path, copy, constants.COPYFILE_FICLONE);
        }
      });
      return dropped;
    },
  },
  jsonl: {
    description: 'JSON Lines: one line per image, the API\'s result plus "file"',
    checkOut: refuseFolder,
    async write({ out, images }) {
      await writeFileAtomically(out, images.map(({ name, result }) => `${JSON.stringify({ file: name, ...result })}\n`).join(''));
      return undefined;
    },
  },
};

async function refuseFolder(out: string): Promise<void> {
  const isFolder = await stat(out).then((stats) => stats.isDirectory(), () => false);
  if (isFolder) throw new Error(`--out ${out} is a folder; this format writes one file`);
}

async function writeInto(folder: string, name: string, text: string): Promise<void> {
  const path = join(folder, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
