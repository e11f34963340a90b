/** Picks the next token from logits: greedy by default, or drawn with temperature, top-k and top-p (nucleus). */
import { argmax } from './argmax.js';

/** How a sequence chooses its tokens; all absent (or temperature 0) is greedy. */
export interface SamplingParameters {
  /** 0 or absent: greedy (argmax), exactly. */
  temperature?: number;
  /** Keep this share of probability mass among the most likely tokens. */
  topP?: number;
  /** Keep this many most likely tokens. */
  topK?: number;
  /** Seeds the draws when sampling: the same seed, image and prompt give the same tokens. @default a random seed */
  seed?: number;
}

/**
 * Top-k and top-p need the tokens in order of weight, but only near where they cut: tokens are bucketed by their
 * log-weight below the top token (this many buckets per unit), and only the bucket holding the cut is sorted. So a
 * step over PaliGemma's 257 152 logits costs a few linear passes, not a sort of the vocabulary, and stays exact.
 */
const BUCKETS_PER_UNIT = 16;
/** Tokens weighing less than e^-48 of the top token share the last bucket (it is sorted only if a cut falls there). */
const BUCKETED_RANGE = 48;
const BUCKET_COUNT = BUCKETS_PER_UNIT * BUCKETED_RANGE + 1;

/** Reused across calls (one row is sampled at a time, synchronously), so a step allocates nothing per row. */
let weights = new Float64Array(0);
let bucketOf = new Uint16Array(0);
const bucketWeight = new Float64Array(BUCKET_COUNT);
const bucketSize = new Uint32Array(BUCKET_COUNT);

/**
 * The next token. `logits` is read, never written (the prefix cache keeps the first step's logits). `random` gives
 * numbers in [0, 1); it is called once per sampled token and never for greedy choices. The order is the one of
 * transformers' and vLLM's samplers: temperature, then top-k, then top-p over what top-k kept.
 * @example sampleToken(logits, { temperature: 0.8, topP: 0.95 }, seededRandom(7))
 */
export function sampleToken(logits: Float32Array, sampling: SamplingParameters, random: () => number): number {
  const temperature = sampling.temperature ?? 0;
  if (temperature === 0) return argmax(logits);
  const best = argmax(logits);
  const top = logits[best];
  if (top === -Infinity) return best;
  const length = logits.length;
  const topK = sampling.topK !== undefined && sampling.topK < length ? sampling.topK : undefined;
  const topP = sampling.topP !== undefined && sampling.topP < 1 ? sampling.topP : undefined;
  if (weights.length < length) {
    weights = new Float64Array(length);
    bucketOf = new Uint16Array(length);
  }
  // Local names for the scratch arrays: the loops below run once per vocabulary entry.
  const weightOf = weights;
  let total = 0;
  if (topK === undefined && topP === undefined) {
    for (let index = 0; index < length; index++) {
      // Relative to the largest logit: weights are at most 1 (no overflow); masked (-Infinity) logits weigh 0.
      const weight = Math.exp((logits[index] - top) / temperature);
      weightOf[index] = weight;
      total += weight;
    }
    return drawFrom(undefined, length, total, random, best);
  }
  const buckets = bucketOf;
  bucketWeight.fill(0);
  bucketSize.fill(0);
  for (let index = 0; index < length; index++) {
    const scaled = (logits[index] - top) / temperature;
    const weight = Math.exp(scaled);
    weightOf[index] = weight;
    total += weight;
    const bucket = scaled > -BUCKETED_RANGE ? Math.floor(-scaled * BUCKETS_PER_UNIT) : BUCKET_COUNT - 1;
    buckets[index] = bucket;
    bucketWeight[bucket] += weight;
    bucketSize[bucket]++;
  }
  const kept = keptTokens(length, total, topK, topP);
  return drawFrom(kept, length, sum(kept), random, best);
}

/** A draw by weight among `kept` (every token when undefined), whose weights add up to `total`. */
function drawFrom(kept: number[] | undefined, length: number, total: number, random: () => number, fallback: number): number {
  let remaining = random() * total;
  const count = kept ? kept.length : length;
  for (let position = 0; position < count; position++) {
    const index = kept ? kept[position] : position;
    remaining -= weights[index];
    if (remaining < 0) return index;
  }
  return fallback; // rounding left a sliver: the most likely token
}

/** The tokens top-k and then top-p keep (in no particular order). */
function keptTokens(length: number, total: number, topK: number | undefined, topP: number | undefined): number[] {
  // Top-k: every bucket before `limit`, and the `limitTake` heaviest tokens of bucket `limit`.
  let limit = BUCKET_COUNT;
  let limitMembers: number[] = [];
  let mass = total;
  if (topK !== undefined) {
    let count = 0;
    mass = 0;
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      if (count + bucketSize[bucket] >= topK) {
        limit = bucket;
        limitMembers = sortedMembers(bucket, length).slice(0, topK - count);
        mass += sum(limitMembers);
        break;
      }
      count += bucketSize[bucket];
      mass += bucketWeight[bucket];
    }
  }
  if (topP !== undefined) {
    const needed = topP * mass;
    let reached = 0;
    for (let bucket = 0; bucket <= Math.min(limit, BUCKET_COUNT - 1); bucket++) {
      const members = bucket === limit ? limitMembers : undefined;
      const bucketMass = members ? sum(members) : bucketWeight[bucket];
      if (reached + bucketMass >= needed) {
        const sorted = members ?? sortedMembers(bucket, length);
        const nucleus = lighterBuckets(bucket, length);
        for (const index of sorted) {
          nucleus.push(index);
          reached += weights[index];
          if (reached >= needed) break;
        }
        return nucleus;
      }
      reached += bucketMass;
    }
  }
  return [...lighterBuckets(limit, length), ...limitMembers];
}

/** The tokens (with any weight) in buckets before `bucket`: all heavier than any token of `bucket`. */
function lighterBuckets(bucket: number, length: number): number[] {
  const tokens: number[] = [];
  for (let index = 0; index < length; index++) if (bucketOf[index] < bucket && weights[index] > 0) tokens.push(index);
  return tokens;
}

/** The tokens of one bucket with any weight, heaviest first (ties: lower id first). */
function sortedMembers(bucket: number, length: number): number[] {
  const members: number[] = [];
  for (let index = 0; index < length; index++) if (bucketOf[index] === bucket && weights[index] > 0) members.push(index);
  return members.sort((left, right) => weights[right] - weights[left] || left - right);
}

function sum(indexes: number[]): number {
  let total = 0;
  for (const index of indexes) total += weights[index];
  return total;
}
