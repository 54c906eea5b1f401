// Shared by the aggregation suites: independent decoders (aws-kinesis-agg, protobufjs) and a normal form
// for comparing user records.
import aggLib, { type UserRecord } from 'aws-kinesis-agg';
import protobuf from 'protobufjs';
import { createAggregateBuilder, type AggregationInput, type AggregationLimits, type Md5 } from '../../src/kpl/index.js';

export const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** A user record with its data as hex, so `assert.equal` compares contents and prints readable diffs. */
export interface Plain {
  partitionKey: string;
  explicitHashKey?: string;
  data: string;
}

export function plain(record: AggregationInput): Plain {
  const out: Plain = { partitionKey: record.partitionKey, data: hex(record.data) };
  if (record.explicitHashKey !== undefined) out.explicitHashKey = record.explicitHashKey;
  return out;
}

/**
 * What aws-kinesis-agg reports for records of one aggregate. It decodes with protobufjs, which gives an
 * absent `explicit_hash_key_index` its default 0, so a record without a hash key shows the aggregate's
 * first hash key when the aggregate has any (the KCL checks presence and does not). Mirror that.
 */
export function asAwsSeesThem(records: AggregationInput[]): Plain[] {
  const firstHashKey = records.find((r) => r.explicitHashKey !== undefined)?.explicitHashKey;
  return records.map((r) => plain({ ...r, explicitHashKey: r.explicitHashKey ?? firstHashKey }));
}

/**
 * Deaggregates with aws-kinesis-agg's `deaggregateSync`, checksums on, from the Kinesis record shape a
 * Lambda consumer receives (base64 `data`). A plain record comes back as itself, under `partitionKey`.
 */
export function awsDeaggregate(bytes: Uint8Array, partitionKey = 'outer'): Plain[] {
  const kinesisRecord = { data: Buffer.from(bytes).toString('base64'), partitionKey, sequenceNumber: '1' };
  let result: Plain[] | undefined;
  let failure: unknown;
  aggLib.deaggregateSync(kinesisRecord as never, true, (error: Error, records?: UserRecord[]) => {
    if (error) failure = error;
    else
      result = (records ?? []).map((r) => {
        const out: Plain = { partitionKey: r.partitionKey, data: Buffer.from(r.data, 'base64').toString('hex') };
        if (r.explicitPartitionKey !== undefined) out.explicitHashKey = r.explicitPartitionKey;
        return out;
      });
  });
  if (failure !== undefined) throw failure;
  if (result === undefined) throw new Error('deaggregateSync never called back');
  return result;
}

/** The aggregation format's schema, from the KPL's aggregation-format.md, for protobufjs. */
export const KPL_PROTO = `
syntax = "proto2";
message AggregatedRecord {
  repeated string partition_key_table = 1;
  repeated string explicit_hash_key_table = 2;
  repeated Record records = 3;
}
message Tag {
  required string key = 1;
  optional string value = 2;
}
message Record {
  required uint64 partition_key_index = 1;
  optional uint64 explicit_hash_key_index = 2;
  required bytes data = 3;
  repeated Tag tags = 4;
}`;

export const kplRoot = protobuf.parse(KPL_PROTO, { keepCase: true }).root;
export const ProtoAggregatedRecord = kplRoot.lookupType('AggregatedRecord');

/** One aggregate cut by {@link aggregateAll}: its records, bytes, and what the builder reported. */
export interface Built {
  records: AggregationInput[];
  bytes: Uint8Array;
  size: number;
  count: number;
}

/** Splits `records` into aggregates the way a producer does: build when the next record does not fit. */
export function aggregateAll(records: AggregationInput[], options: AggregationLimits & { md5?: Md5 }): Built[] {
  const builder = createAggregateBuilder(options);
  const built: Built[] = [];
  let group: AggregationInput[] = [];
  const cut = () => {
    const { size, count } = builder;
    built.push({ records: group, bytes: builder.build(), size, count });
    group = [];
    builder.reset();
  };
  for (const record of records) {
    if (!builder.tryAdd(record)) {
      cut();
      if (!builder.tryAdd(record)) throw new Error('an empty builder refused a record');
    }
    group.push(record);
  }
  if (group.length > 0) cut();
  return built;
}
