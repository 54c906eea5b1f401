import type { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricsSnapshot } from '../metrics/metrics.js';
import { importOptionalPeer } from '../optional-peer.js';
import type { Producer } from '../producer/producer.js';
import { checkOptions, type CloudWatchMetricsOptions } from './kpl-metrics.js';
import { toMetricData } from './metric-data.js';

/**
 * Options of {@link publishMetrics}.
 *
 * @example
 * ```ts
 * import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
 * import type { PublishMetricsOptions } from 'rxjs-kinesis/cloudwatch';
 * const options: PublishMetricsOptions = { client: new CloudWatchClient({}), namespace: 'KinesisProducer', onError: (e) => log.warn(e) };
 * ```
 */
export interface PublishMetricsOptions extends CloudWatchMetricsOptions {
  /** The client to send with: a `CloudWatchClient`, or anything whose `send` takes a `PutMetricDataCommand`. */
  client: Pick<CloudWatchClient, 'send'> | { send(command: PutMetricDataCommand): Promise<unknown> };
  /**
   * Called with each request that failed (after the SDK's own retries; the others are still sent), and once if
   * `@aws-sdk/client-cloudwatch` cannot be loaded. Default `console.warn`.
   */
  onError?: (error: unknown) => void;
}

/**
 * What {@link publishMetrics} returns.
 *
 * @example
 * ```ts
 * import { publishMetrics, type MetricsPublisher } from 'rxjs-kinesis/cloudwatch';
 * const publisher: MetricsPublisher = publishMetrics(producer, { client: cloudWatch, namespace: 'KinesisProducer' });
 * await producer.close(); // emits the last snapshot
 * await publisher.stop(); // and this waits for it to be sent
 * ```
 */
export interface MetricsPublisher {
  /** Stops listening to the producer, and resolves once the snapshots it had received are sent. */
  stop(): Promise<void>;
}

const loadCommand = () =>
  importOptionalPeer('@aws-sdk/client-cloudwatch', async () => (await import('@aws-sdk/client-cloudwatch')).PutMetricDataCommand, 'publishMetrics');

/**
 * Sends each snapshot of `producer.metrics$` to CloudWatch with PutMetricData: the KPL's metrics, names and
 * dimensions, as {@link toMetricData} makes them, one request after another. Close the producer before `stop()`
 * so its last snapshot, emitted by `close()`, is sent too. A producer made with `metrics: false` has none to send.
 *
 * `@aws-sdk/client-cloudwatch` is an optional peer dependency, loaded at the first call: `toEmf` works without it.
 *
 * @example
 * ```ts
 * import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
 * import { createProducer } from 'rxjs-kinesis';
 * import { publishMetrics } from 'rxjs-kinesis/cloudwatch';
 *
 * const producer = createProducer({ client, streamName: 'orders' });
 * const publisher = publishMetrics(producer, { client: new CloudWatchClient({}), namespace: 'KinesisProducer' });
 * // ... at shutdown
 * await producer.close();
 * await publisher.stop();
 * ```
 *
 * @param producer The producer whose `metrics$` to publish.
 * @param options The client, the namespace, dimensions to add, and what to do with a failed request.
 * @return A handle whose `stop()` ends the publishing.
 */
export function publishMetrics(producer: Pick<Producer, 'metrics$'>, options: PublishMetricsOptions): MetricsPublisher {
  const o = checkOptions('publishMetrics', options);
  const { client, onError = (error: unknown) => console.warn('rxjs-kinesis publishMetrics:', error) } = options;
  if (typeof client?.send !== 'function') throw new TypeError('publishMetrics needs a CloudWatchClient as `client`');
  const command = loadCommand();
  command.catch(onError);

  async function publish(snapshot: MetricsSnapshot): Promise<void> {
    const Command = await command.catch(() => undefined);
    if (Command === undefined) return;
    for (const input of toMetricData(snapshot, o)) await client.send(new Command(input)).catch(onError);
  }

  let sending = Promise.resolve();
  const subscription = producer.metrics$.subscribe((snapshot) => (sending = sending.then(() => publish(snapshot))));
  return {
    stop() {
      subscription.unsubscribe();
      return sending;
    },
  };
}
