import type { KinesisClient, PutRecordsCommand, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';

/** What the last attempt's answer said, entry by entry. */
export interface Answer {
  records: PutRecordsResultEntry[] | undefined;
}

const decoder = new TextDecoder();

/** An answer that came back whole but is no PutRecords result: the records' fate is unknown. */
function unreadable(detail: string): Error {
  return Object.assign(new Error(`the answer could not be read: ${detail}`), { name: 'UnreadableAnswer' });
}

/**
 * Reads a successful PutRecords answer with `JSON.parse`, in the deserialize step under the SDK's
 * deserializer (so once per attempt, after the SDK's retry and signing): the SDK's schema reader then
 * only sees an empty result. Error answers (status 300 and up) go to the SDK's reader untouched, so
 * their codes and retries are the SDK's.
 */
export function readAnswer(command: PutRecordsCommand, client: KinesisClient): Answer {
  const answer: Answer = { records: undefined };
  command.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const response = out.response as { statusCode?: number; body?: unknown };
      if (response.statusCode === undefined || response.statusCode >= 300) return out;
      const body = response.body;
      const bytes = body instanceof Uint8Array ? body : await client.config.streamCollector(body);
      let parsed: { Records?: unknown };
      try {
        parsed = JSON.parse(decoder.decode(bytes)) as { Records?: unknown };
      } catch (error) {
        throw unreadable((error as Error).message);
      }
      if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.Records)) throw unreadable('no Records in it');
      answer.records = parsed.Records as PutRecordsResultEntry[];
      response.body = new Uint8Array([0x7b, 0x7d]); // {}
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'rxjsKinesisAnswer' },
  );
  return answer;
}
