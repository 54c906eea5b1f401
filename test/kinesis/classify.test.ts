import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay } from '../../src/send/backoff.js';
import { ERROR_TABLE, classifyCode, classifyError, type ClassifiedError } from '../../src/kinesis/classify.js';
import { serviceError } from '../helpers/scripted-client.js';

const backoff = suite('backoffDelay: full jitter');
backoff('spans [0, base * 2^(attempt-1)) capped at max', () => {
  assert.is(backoffDelay(1, 100, 5000, () => 0), 0);
  assert.is(backoffDelay(1, 100, 5000, () => 0.999999), 99);
  assert.is(backoffDelay(3, 100, 5000, () => 0.5), 200);
  assert.is(backoffDelay(30, 100, 5000, () => 0.5), 2500);
  assert.is(backoffDelay(1000, 100, 5000, () => 0.5), 2500);
});
backoff.run();

const classify = suite('classify: per-entry codes');
classify('throttles and internal failures retry; stream-wide codes break the stream; unknown codes retry', () => {
  assert.is(classifyCode('ProvisionedThroughputExceededException'), 'retryable');
  assert.is(classifyCode('InternalFailure'), 'retryable');
  assert.is(classifyCode('KMSDisabledException'), 'stream');
  assert.is(classifyCode('ResourceNotFoundException'), 'stream');
  assert.is(classifyCode('ValidationException'), 'invalid');
  assert.is(classifyCode('SomethingNew'), 'retryable');
});
classify.run();

/** Each row of the table, thrown the way it reaches the producer: a service error, a Node socket error, or an HTTP/2 error. */
function thrownAs(code: string): unknown {
  if (/^(E[A-Z_]+|UND_ERR_\w+)$/.test(code)) return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code, syscall: 'connect' });
  if (code.startsWith('ERR_')) return Object.assign(new Error(`HTTP/2 failure ${code}`), { code });
  if (code === 'UnreadableAnswer') return Object.assign(new SyntaxError('Unexpected end of JSON input\n  Deserialization error: ...'), { $metadata: { httpStatusCode: 200 } });
  if (code === 'CredentialsError') return Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError', tryNextLink: false });
  if (code === 'ConfigError') return new Error('Region is missing');
  if (code === 'CredentialsProviderError') return Object.assign(new Error('Failed to load credentials from the instance metadata service'), { name: code });
  if (code === 'RequestEntityTooLarge') return serviceError('RequestEntityTooLarge', 413);
  const status = ERROR_TABLE[code].ambiguous ? 500 : 400;
  return serviceError(code, status);
}

const table = suite('classify: one test per row of the error table');
for (const [code, rule] of Object.entries(ERROR_TABLE)) {
  table(`${code}: ${rule.kind}${rule.ambiguous ? ', fate unknown' : ''}`, () => {
    const c = classifyError(thrownAs(code));
    assert.equal({ code: c.code, kind: c.kind, ambiguous: c.ambiguous }, { code, kind: rule.kind, ambiguous: rule.ambiguous });
  });
}
table.run();

const request = suite('classify: request-level errors as the SDK throws them');
request('the network errors the issue names are retried, whichever layer reports them', () => {
  for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'ECONNABORTED']) {
    assert.is(classifyError(thrownAs(code)).kind, 'retryable', code);
  }
});
request('an HTTP/2 cancel caused by a refused connection: retried, and nothing was sent', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const cancel = Object.assign(new Error('The pending stream has been canceled (caused by: connect ECONNREFUSED 127.0.0.1:1)'), { code: 'ERR_HTTP2_STREAM_CANCEL', cause: refused });
  assert.equal({ ...classifyError(cancel), message: '' }, { code: 'ECONNREFUSED', message: '', kind: 'retryable', ambiguous: false });
});
request('an answer cut short after a 200: retried, fate unknown', () => {
  const cut = Object.assign(new Error('aborted\n  Deserialization error: to see the raw response, inspect the hidden field'), { code: 'ECONNRESET', $metadata: { httpStatusCode: 200 } });
  assert.equal({ ...classifyError(cut), message: '' }, { code: 'ECONNRESET', message: '', kind: 'retryable', ambiguous: true });
  const html = Object.assign(new SyntaxError(`Unexpected token '<', "<html>bad "... is not valid JSON`), { $metadata: { httpStatusCode: 502 } });
  const c = classifyError(html);
  assert.equal([c.code, c.kind, c.ambiguous], ['UnreadableAnswer', 'retryable', true]);
  assert.match(c.message, /HTTP 502/);
});
request('unknown errors retry: a 5xx or no answer leaves the fate unknown, a 4xx refusal does not', () => {
  assert.equal(pick(classifyError(serviceError('SomethingNew', 503))), ['SomethingNew', 'retryable', true]);
  assert.equal(pick(classifyError(serviceError('SomethingNew', 400))), ['SomethingNew', 'retryable', false]);
  assert.equal(pick(classifyError(new Error('socket hang up'))), ['ECONNRESET', 'retryable', true]);
  assert.equal(pick(classifyError(Object.create(null))), ['UnknownError', 'retryable', true]);
  assert.equal(pick(classifyError('a string')), ['UnknownError', 'retryable', true]);
});
request('a missing region or no credentials at all: a clear code and what to set', () => {
  const region = classifyError(new Error('Region is missing'));
  assert.equal(pick(region), ['ConfigError', 'stream', false]);
  assert.match(region.message, /AWS_REGION/);
  const none = classifyError(thrownAs('CredentialsError'));
  assert.equal(pick(none), ['CredentialsError', 'stream', false]);
  assert.match(none.message, /AWS_ACCESS_KEY_ID/);
});
request.run();

function pick(c: ClassifiedError): [string, string, boolean] {
  return [c.code, c.kind, c.ambiguous];
}
