import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay } from '../src/retry/backoff.js';
import { classifyCode, classifyError } from '../src/retry/classify.js';
import { serviceError } from './helpers/scripted-client.js';

const backoff = suite('backoffDelay: full jitter');
backoff('spans [0, base * 2^(attempt-1)) capped at max', () => {
  assert.is(backoffDelay(1, 100, 5000, () => 0), 0);
  assert.is(backoffDelay(1, 100, 5000, () => 0.999999), 99);
  assert.is(backoffDelay(3, 100, 5000, () => 0.5), 200);
  assert.is(backoffDelay(30, 100, 5000, () => 0.5), 2500);
  assert.is(backoffDelay(1000, 100, 5000, () => 0.5), 2500);
});
backoff.run();

const classify = suite('classify');
classify('per-entry codes', () => {
  assert.is(classifyCode('ProvisionedThroughputExceededException'), 'retryable');
  assert.is(classifyCode('InternalFailure'), 'retryable');
  assert.is(classifyCode('KMSDisabledException'), 'fatal');
  assert.is(classifyCode('ResourceNotFoundException'), 'stream');
});
classify('request-level errors: 5xx, throttles and network faults retry; validation is fatal; missing stream breaks it', () => {
  assert.is(classifyError(serviceError('InternalFailure', 500)).kind, 'retryable');
  assert.is(classifyError(serviceError('SomethingNew', 503)).kind, 'retryable');
  assert.is(classifyError(serviceError('ProvisionedThroughputExceededException', 400)).kind, 'retryable');
  assert.is(classifyError(serviceError('ValidationException', 400)).kind, 'fatal');
  assert.is(classifyError(serviceError('ResourceNotFoundException', 400)).kind, 'stream');
  assert.is(classifyError(serviceError('AccessDeniedException', 400)).kind, 'stream');
  assert.is(classifyError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).kind, 'retryable');
  assert.is(classifyError(new Error('socket hang up')).kind, 'retryable');
  assert.is(classifyError(Object.assign(new Error('x'), { name: 'AbortError' })).code, 'RequestTimeout');
});
classify.run();
