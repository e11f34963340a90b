/** The reference-file format: cases of prompt ids and greedy tokens computed with PyTorch / onnxruntime. */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';

const ReferenceCaseSchema = z.looseObject({
  image: z.string().min(1),
  prompt: z.string(),
  input_ids: z.array(z.number().int()),
  greedy_new_ids: z.array(z.number().int()).min(1),
});

const ReferenceFileSchema = z.looseObject({
  max_new_tokens: z.number().int().positive().optional(),
  cases: z.array(ReferenceCaseSchema).min(1),
});

export type ReferenceCase = z.infer<typeof ReferenceCaseSchema>;
export type ReferenceFile = z.infer<typeof ReferenceFileSchema>;

/**
 * Reads and validates a reference file; errors name the file and the first problem.
 * @example const { cases } = await readReferenceFile('fixtures/reference/reference.json')
 */
export async function readReferenceFile(path: string): Promise<ReferenceFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read reference file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ReferenceFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`reference file ${path} is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
