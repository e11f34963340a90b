/**
 * The Hugging Face token for gated and private models, found where the Hugging Face tools look: `HF_TOKEN`, then the
 * file `huggingface-cli login` (`hf auth login`) writes. Order and paths as huggingface_hub's `get_token()` and
 * `constants.HF_TOKEN_PATH`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from '@paligemma/sdk/internal';
import { CORE_ENVIRONMENT_VARIABLES } from './defaults.js';

/** A token and where it came from; `source` goes into messages, the value never does. */
export interface HubToken {
  value: string;
  /** `HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`, `the token file <path>` or `the hubToken option`. */
  source: string;
}

/** The variables read, in order; `HUGGING_FACE_HUB_TOKEN` is huggingface_hub's deprecated name, still honoured there. */
const HUB_TOKEN_VARIABLES = [CORE_ENVIRONMENT_VARIABLES.hubToken, 'HUGGING_FACE_HUB_TOKEN'];

/**
 * Where `huggingface-cli login` keeps the token: `$HF_TOKEN_PATH`, else `$HF_HOME/token`, else
 * `${XDG_CACHE_HOME:-~/.cache}/huggingface/token`.
 * @example hubTokenPath({ HF_HOME: '/data/hf' }) // '/data/hf/token'
 */
export function hubTokenPath(environment: Record<string, string | undefined>): string {
  const value = (name: string) => expandHome(readEnvironment(name, environment));
  const hubHome = value('HF_HOME') ?? join(value('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface');
  return value('HF_TOKEN_PATH') ?? join(hubHome, 'token');
}

/**
 * The token to send to the hub, or `undefined` when none is set. Surrounding whitespace and line breaks are
 * dropped, and a blank value counts as unset, as huggingface_hub does. A token file that exists but cannot be read
 * (a secret mounted for another user) throws, naming the file, rather than silently sending no token.
 * @example readHubToken({ HF_TOKEN: 'hf_abc' }) // { value: 'hf_abc', source: 'HF_TOKEN' }
 */
export function readHubToken(environment: Record<string, string | undefined>): HubToken | undefined {
  for (const name of HUB_TOKEN_VARIABLES) {
    const value = readEnvironment(name, environment);
    if (value) return { value, source: name };
  }
  const path = hubTokenPath(environment);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // No login on this machine: public models still download.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the Hugging Face token file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}): make it readable by this user, or set HF_TOKEN`);
  }
  const value = text.trim();
  return value ? { value, source: `the token file ${path}` } : undefined;
}

/** `~` and `~/…` as the home directory, as Python's `expanduser` does for these variables. */
function expandHome(path: string | undefined): string | undefined {
  if (path === '~') return homedir();
  return path?.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}
