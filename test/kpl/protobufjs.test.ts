import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AGGREGATE_CHECKSUM_BYTES, AGGREGATE_MAGIC_BYTES, encodeAggregate, type AggregationInput } from '../../src/kpl/index.js';
import { ProtoAggregatedRecord, hex } from './helpers.js';

const records: AggregationInput[] = [
  { partitionKey: 'a', data: Uint8Array.of(1, 2, 3) },
  { partitionKey: '😀 astral', explicitHashKey: '42', data: new Uint8Array(0) },
  { partitionKey: 'a', explicitHashKey: '340282366920938463463374607431768211455', data: new Uint8Array(200).fill(9) },
  { partitionKey: 'b', data: Uint8Array.of(0) },
  { partitionKey: '😀 astral', explicitHashKey: '42', data: Uint8Array.of(5) },
];
const bytes = encodeAggregate(records);
const section = bytes.subarray(AGGREGATE_MAGIC_BYTES, bytes.length - AGGREGATE_CHECKSUM_BYTES);

interface ProtoRecord {
  partition_key_index: number;
  explicit_hash_key_index?: number;
  data: Uint8Array;
}
interface ProtoAggregate {
  partition_key_table: string[];
  explicit_hash_key_table: string[];
  records: ProtoRecord[];
}
const decodeWithProtobufjs = (body: Uint8Array) =>
  ProtoAggregatedRecord.toObject(ProtoAggregatedRecord.decode(body), { longs: Number, arrays: true }) as ProtoAggregate;

const independent = suite('protobufjs decodes our protobuf section to the same records');
independent('tables hold each distinct key once, in first-use order', () => {
  const message = decodeWithProtobufjs(section);
  assert.equal(message.partition_key_table, ['a', '😀 astral', 'b']);
  assert.equal(message.explicit_hash_key_table, ['42', '340282366920938463463374607431768211455']);
});
independent('each record points at its keys and carries its data; absent hash keys stay absent', () => {
  const message = decodeWithProtobufjs(section);
  const resolved = message.records.map((r) => ({
    partitionKey: message.partition_key_table[r.partition_key_index],
    explicitHashKey: r.explicit_hash_key_index === undefined ? undefined : message.explicit_hash_key_table[r.explicit_hash_key_index],
    data: hex(r.data),
  }));
  assert.equal(resolved, records.map((r) => ({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: hex(r.data) })));
  assert.equal(message.records.map((r) => 'explicit_hash_key_index' in r), [false, true, true, false, true]);
});
independent.run();

const reencode = suite('protobufjs re-encodes the same message to the same bytes');
reencode('encode(decode(section)) equals the section byte for byte', () => {
  const again = ProtoAggregatedRecord.encode(ProtoAggregatedRecord.decode(section)).finish();
  assert.is(hex(again), hex(section));
});
reencode('encoding the tables and indexes from scratch gives the same bytes', () => {
  const fromScratch = ProtoAggregatedRecord.encode(
    ProtoAggregatedRecord.fromObject({
      partition_key_table: ['a', '😀 astral', 'b'],
      explicit_hash_key_table: ['42', '340282366920938463463374607431768211455'],
      records: [
        { partition_key_index: 0, data: records[0].data },
        { partition_key_index: 1, explicit_hash_key_index: 0, data: records[1].data },
        { partition_key_index: 0, explicit_hash_key_index: 1, data: records[2].data },
        { partition_key_index: 2, data: records[3].data },
        { partition_key_index: 1, explicit_hash_key_index: 0, data: records[4].data },
      ],
    }),
  ).finish();
  assert.is(hex(fromScratch), hex(section));
});
reencode.run();
