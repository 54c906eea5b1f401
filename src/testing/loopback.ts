/** Host names that reach this machine only, with an optional port. */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;
/** Origins of pages served from this machine, on any port. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/**
 * True when a request was addressed to a loopback name. A page on another site can point its own DNS name at
 * 127.0.0.1 (DNS rebinding) and so reach the local Kinesis as "same origin"; its requests then carry that
 * name in `Host`, which is how they are told apart.
 */
export const isLoopbackHost = (authority: string | undefined): boolean => authority !== undefined && LOOPBACK_HOST.test(authority);

export const isLoopbackOrigin = (origin: string): boolean => LOOPBACK_ORIGIN.test(origin);

export const notLoopbackMessage = (authority: string | undefined) =>
  `Host ${authority === undefined ? '(none)' : `"${authority}"`} is not a loopback name: the local Kinesis answers only requests ` +
  'addressed to localhost, 127.0.0.1 or [::1], so that no web page can reach it by pointing its own DNS name at this machine.';
