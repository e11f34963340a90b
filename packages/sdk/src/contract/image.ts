/** How a request carries its image: a URL the server fetches, or the bytes inline. */
import * as z from 'zod';

/** `{ url }`: an `http(s)` URL the server fetches through its SSRF guard. */
export const ImageUrlSourceSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'image.url must be an http or https URL' }),
});

/** `{ data }`: base64 bytes, or a `data:` URI. */
export const ImageDataSourceSchema = z.strictObject({
  data: z.string().min(1, 'image.data must not be empty'),
});

/**
 * The `image` field of every request.
 * @example { url: 'https://example.com/cat.jpg' } or { data: 'data:image/png;base64,iVBOR…' }
 */
export const ImageSourceSchema = z.union([ImageUrlSourceSchema, ImageDataSourceSchema], {
  error: 'image must be {url} or {data}',
});

export type ImageUrlSource = z.infer<typeof ImageUrlSourceSchema>;
export type ImageDataSource = z.infer<typeof ImageDataSourceSchema>;
export type ImageSource = z.infer<typeof ImageSourceSchema>;

/** Size of the image the results refer to, in pixels (after EXIF orientation). */
export const ImageSizeSchema = z.looseObject({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ImageSize = z.infer<typeof ImageSizeSchema>;
