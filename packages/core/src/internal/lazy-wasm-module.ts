/** Compiles embedded WebAssembly kernels once, on first use. */

/**
 * A getter for the module in `base64`, compiled on its first call; it gives `null` where WebAssembly or the
 * extensions the kernels use (SIMD) are unavailable (e.g. `--jitless`), so callers fall back to plain TypeScript.
 * @example const kernelsModule = lazyWasmModule(KERNELS_WASM_BASE64); const module = kernelsModule();
 */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    }
    return compiled;
  };
}
