/** One call from options to a ready mask decoder: find (or download) `vae-oid.npz`, then load it. */
import { type VaeDecoder, type VaeDecoderOptions, loadVae } from './vae.js';
import { type ResolveVaeOptions, resolveVaePath } from './vae-location.js';

/**
 * `resolveVaePath` then `loadVae`.
 * @example const vae = await openVae({ cacheDir: '/var/cache/paligemma', signal })
 */
export async function openVae(options: ResolveVaeOptions & VaeDecoderOptions): Promise<VaeDecoder> {
  return loadVae(await resolveVaePath(options), options);
}
