import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferOverflowError, KinesisStreamError } from '../src/errors.js';
import { AggregateFormatError } from '../src/kpl/index.js';

const errors = suite('error classes: name is the class name, code says what happened');
errors('each error is an Error with its class name and a code', () => {
  const all = [new KinesisStreamError('ResourceNotFoundException', 'no stream'), new BufferOverflowError('full', 10, 100), new AggregateFormatError('bad magic')];
  assert.equal(all.map((e) => [e instanceof Error, e.name, e.constructor.name, typeof e.code]), [
    [true, 'KinesisStreamError', 'KinesisStreamError', 'string'],
    [true, 'BufferOverflowError', 'BufferOverflowError', 'string'],
    [true, 'AggregateFormatError', 'AggregateFormatError', 'string'],
  ]);
  assert.equal(all.map((e) => e.code), ['ResourceNotFoundException', 'BufferOverflow', 'MalformedAggregate']);
});
errors.run();
