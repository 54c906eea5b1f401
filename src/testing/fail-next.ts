import type { ErrorAnswer } from './fault-types.js';

export interface ScriptedErrors {
  /** Queues `error` as the answer to the next `times` requests of `operation`. */
  add(operation: string, error: ErrorAnswer, times: number): void;
  /** The queued answer for one request of `operation`, used up by this call; undefined when none is queued. */
  take(operation: string): ErrorAnswer | undefined;
}

/** HTTP statuses an error answer may have: the SDK reads a JSON 1.1 error from any non-2xx answer. */
const MIN_ERROR_STATUS = 300;
const MAX_STATUS = 599;

/** Errors set by `failNext`, per operation, used in the order they were given. */
export function createScriptedErrors(): ScriptedErrors {
  const queues = new Map<string, Array<{ error: ErrorAnswer; left: number }>>();
  return {
    add(operation, error, times) {
      if (typeof operation !== 'string' || operation === '') throw new TypeError(`failNext needs an operation name such as 'PutRecords', got ${JSON.stringify(operation)}`);
      const { status, type, message } = error ?? {};
      if (!(Number.isInteger(status) && status >= MIN_ERROR_STATUS && status <= MAX_STATUS)) throw new RangeError(`failNext: status must be an integer in [${MIN_ERROR_STATUS}, ${MAX_STATUS}], got ${status}`);
      if (typeof type !== 'string' || type === '') throw new TypeError(`failNext: type must name the exception, such as 'ExpiredTokenException', got ${JSON.stringify(type)}`);
      if (!(Number.isInteger(times) && times >= 1)) throw new RangeError(`failNext: times must be an integer >= 1, got ${times}`);
      const queue = queues.get(operation) ?? [];
      queue.push({ error: { status, type, message }, left: times });
      queues.set(operation, queue);
    },
    take(operation) {
      const queue = queues.get(operation);
      if (!queue) return undefined;
      const [next] = queue;
      if (--next.left === 0) queue.shift();
      if (queue.length === 0) queues.delete(operation);
      return next.error;
    },
  };
}
