/**
 * `rxjs-kinesis` as Node gets it, for code run from these sources (tsconfig.json maps the package name
 * here; tsx follows it): the root entry with the Node-only modules that the `"node"` build swaps in
 * (src/build-swaps.json, `node`) where they behave differently. The other swaps only run faster.
 */
export * from './index.js';
export { toWritable } from './to-writable-node.js';
