/** Where the hub token is found: the order and paths of the Hugging Face tools, on real files in a temporary home. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCoreEnvironment } from './core-environment.js';
import { hubTokenPath, readHubToken } from './hub-token.js';

let directory: string;
let tokenFile: string;
/** No login anywhere: the token path points at a file that does not exist. */
let nowhere: Record<string, string>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'paligemma-hf-home-'));
  tokenFile = join(directory, 'token');
  await writeFile(tokenFile, 'hf_from_file\n');
  nowhere = { HF_TOKEN_PATH: join(directory, 'absent', 'token') };
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('hubTokenPath', () => {
  it('is $HF_TOKEN_PATH, else $HF_HOME/token, else ${XDG_CACHE_HOME:-~/.cache}/huggingface/token', () => {
    expect(hubTokenPath({ HF_TOKEN_PATH: '/run/secrets/hf', HF_HOME: '/data/hf' })).toBe('/run/secrets/hf');
    expect(hubTokenPath({ HF_HOME: '/data/hf', XDG_CACHE_HOME: '/xdg' })).toBe('/data/hf/token');
    expect(hubTokenPath({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/huggingface/token');
    expect(hubTokenPath({})).toBe(join(homedir(), '.cache', 'huggingface', 'token'));
    expect(hubTokenPath({ HF_HOME: '~/hf', HF_TOKEN_PATH: ' ' })).toBe(join(homedir(), 'hf', 'token'));
  });
});

describe('readHubToken', () => {
  it('takes HF_TOKEN first, then the deprecated HUGGING_FACE_HUB_TOKEN, then the token file', () => {
    expect(readHubToken({ HF_TOKEN: ' hf_env \n', HUGGING_FACE_HUB_TOKEN: 'hf_old', HF_TOKEN_PATH: tokenFile })).toEqual({ value: 'hf_env', source: 'HF_TOKEN' });
    expect(readHubToken({ HF_TOKEN: '', HUGGING_FACE_HUB_TOKEN: 'hf_old', HF_TOKEN_PATH: tokenFile })).toEqual({ value: 'hf_old', source: 'HUGGING_FACE_HUB_TOKEN' });
    expect(readHubToken({ HF_TOKEN_PATH: tokenFile })).toEqual({ value: 'hf_from_file', source: `the token file ${tokenFile}` });
  });

  it('reads the file `huggingface-cli login` writes under HF_HOME', async () => {
    const home = join(directory, 'hf-home');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'token'), 'hf_home_token');
    expect(readHubToken({ HF_HOME: home })?.value).toBe('hf_home_token');
  });

  it('is undefined without a variable or a file, and for a blank file', async () => {
    expect(readHubToken(nowhere)).toBeUndefined();
    const blank = join(directory, 'blank');
    await writeFile(blank, '  \n');
    expect(readHubToken({ HF_TOKEN_PATH: blank })).toBeUndefined();
  });

  it('names a token file that exists but cannot be read, instead of sending no token', async () => {
    // A directory where the file should be stands for any unreadable file (root reads files whatever their mode).
    const notAFile = join(directory, 'not-a-file');
    await mkdir(notAFile, { recursive: true });
    expect(() => readHubToken({ HF_TOKEN_PATH: notAFile })).toThrow(`cannot read the Hugging Face token file ${notAFile} (EISDIR): make it readable by this user, or set HF_TOKEN`);
  });

  it('is what readCoreEnvironment hands to the hub download', () => {
    expect(readCoreEnvironment({ HF_TOKEN: 'hf_env' }).hubToken()).toEqual({ value: 'hf_env', source: 'HF_TOKEN' });
    expect(readCoreEnvironment(nowhere).hubToken()).toBeUndefined();
  });
});
