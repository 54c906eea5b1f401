import { md5 } from 'js-md5';
import type { Md5 } from './types.js';

/**
 * The default MD5 of aggregates: js-md5's pure-JS `md5.array`. Its Node wrapper only reroutes the
 * hex-returning call to `node:crypto`, so this path is the same in Node and in browsers.
 *
 * @example
 * ```ts
 * defaultMd5(new Uint8Array(0)); // d4 1d 8c d9 8f 00 b2 04 e9 80 09 98 ec f8 42 7e
 * ```
 */
export const defaultMd5: Md5 = (bytes) => md5.array(bytes);
