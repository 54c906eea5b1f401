import Bottleneck from 'bottleneck';
import { leave, presence, type RedisEval } from './redis-scripts.js';
import { CHECK_INTERVAL_MS, CHECK_TIMEOUT_MS, PRESENCE_WINDOW_MS, isRedisClient, type RedisClientLike, type SharedLimitsOptions } from './shared-limits.js';

/** The events of an ioredis client the link follows. */
interface RedisEvents extends RedisEval {
  status: string;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface RedisLink {
  /** Bottleneck's connection (a command client and a subscriber), shared by every shard's limiter. */
  readonly connection: Bottleneck.IORedisConnection;
  /** The command client, for the link's own scripts. */
  readonly client: RedisEval;
  /** Producer processes last seen under the key, this one included; undefined until Redis answered. */
  readonly processes: number | undefined;
  /** Something failed on Redis: check it now rather than at the next interval. */
  suspect(): void;
  /** Stops checking and closes the connections (they are always the link's own). */
  dispose(): Promise<void>;
}

export interface RedisLinkOptions {
  redis: SharedLimitsOptions['redis'];
  /** Key of the sorted set of processes alive. */
  presenceKey: string;
  /** Redis became reachable (`up`) or not; called on changes only, the first call whichever comes first. */
  onChange(up: boolean, reason: string): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

type Callback = (error: Error | null, reply?: unknown) => void;
interface Scripted {
  defineCommand(name: string, definition: { lua: string }): void;
  [command: string]: unknown;
}

/**
 * Redis 7 prefixes "ERR " to the errors Lua scripts return with `redis.error_reply`, so Bottleneck no
 * longer recognises its SETTINGS_KEY_NOT_FOUND and UNKNOWN_CLIENT and never re-creates a limiter's
 * state after Redis restarts empty, its keys expire or it dropped a client (bottleneck#205, #212).
 * Bottleneck defines its scripts on the link's own client once connected: the replies are mended there.
 */
function mendScriptErrors(client: Scripted): void {
  const define = client.defineCommand.bind(client);
  client.defineCommand = (name, definition) => {
    define(name, definition);
    const command = client[name] as (...args: unknown[]) => unknown;
    client[name] = (...args: unknown[]) => {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: Error | null, reply?: unknown) => {
          if (error && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(error.message)) error.message = error.message.slice(4);
          (callback as Callback)(error, reply);
        };
      }
      return command.apply(client, args);
    };
  };
}

interface CommandSender {
  sendCommand(...args: unknown[]): unknown;
}

/**
 * On reconnecting, ioredis re-sends SUBSCRIBE (and SELECT) on its own with no handler on their
 * promises (redis/ioredis#2187): closing the connection before Redis answers them left an unhandled
 * rejection, which ends a Node process. Every command on the link's own connections gets a handler
 * here; whoever sent a command still sees its failure, and the link judges Redis by its checks.
 */
function handleEveryCommand(redis: CommandSender): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (...args: unknown[]) => {
    const reply = send(...args);
    if (reply instanceof Promise) reply.catch(() => undefined);
    return reply;
  };
}

/** A new connection like the user's client (a Cluster takes its options second). */
const duplicate = (client: RedisClientLike) =>
  client.isCluster === true ? client.duplicate(undefined, { lazyConnect: false }) : client.duplicate({ lazyConnect: false });

/** A connection from options: Bottleneck loads ioredis itself, so a missing package shows here. */
function connect(clientOptions: Record<string, unknown>): Bottleneck.IORedisConnection {
  try {
    return new Bottleneck.IORedisConnection({ clientOptions });
  } catch (e) {
    throw new Error(`limits.redis as connection options needs the ioredis package (npm install ioredis): ${message(e)}`, { cause: e });
  }
}

/** `promise`, or a rejection once `ms` passed without an answer. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timeout: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timeout = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timeout.unref?.();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timeout));
}

/**
 * A connection to Redis for the shared limits and a judgment of whether Redis is reachable: down as
 * soon as the connection closes or a check (every `CHECK_INTERVAL_MS`, which also counts the processes
 * alive) fails or goes unanswered for `CHECK_TIMEOUT_MS`; up again when a check succeeds. Timers are
 * unref'd: checking never keeps a process alive.
 */
export function createRedisLink(o: RedisLinkOptions): RedisLink {
  // A user's client is duplicated, so closing ours never touches theirs; lazyConnect would leave
  // Bottleneck waiting for a 'ready' that no command triggers.
  const connection = isRedisClient(o.redis)
    ? new Bottleneck.IORedisConnection({ client: duplicate(o.redis), Redis: o.redis.constructor })
    : connect({ ...o.redis, lazyConnect: false });
  const own = connection as unknown as { client: RedisEvents & Scripted & CommandSender; subscriber: CommandSender };
  const client = own.client;
  mendScriptErrors(client);
  handleEveryCommand(client);
  handleEveryCommand(own.subscriber);
  const member = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let up: boolean | undefined;
  let processes: number | undefined;
  let lastError: string | undefined;
  let checking = false;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function set(next: boolean, reason: string): void {
    if (disposed || next === up) return;
    up = next;
    o.onChange(next, reason);
  }

  function check(): void {
    if (checking || disposed) return;
    checking = true;
    clearTimeout(timer);
    within(presence(client, o.presenceKey, member, PRESENCE_WINDOW_MS), CHECK_TIMEOUT_MS)
      .then(
        (count) => {
          processes = count;
          if (client.status === 'ready') set(true, `Redis answered; ${count} producer process(es) share the budget`);
        },
        (e) => set(false, `${message(e)}${lastError && lastError !== message(e) ? ` (${lastError})` : ''}`),
      )
      .finally(() => {
        checking = false;
        if (disposed) return;
        timer = setTimeout(check, CHECK_INTERVAL_MS);
        timer.unref?.();
      });
  }

  const onClose = () => set(false, `connection to Redis closed${lastError ? ` (${lastError})` : ''}`);
  const onReady = () => {
    lastError = undefined;
    check();
  };
  client.on('close', onClose);
  client.on('ready', onReady);
  connection.on('error', (e) => {
    lastError = message(e);
  });
  check();

  return {
    connection,
    client,
    get processes() {
      return processes;
    },
    suspect: check,
    async dispose() {
      if (disposed) return;
      const wasUp = up === true;
      disposed = true;
      clearTimeout(timer);
      client.off('close', onClose);
      client.off('ready', onReady);
      // quit() flushes what is pending; with Redis gone or hanging only disconnect() stops the reconnecting.
      const quit = wasUp ? within(leave(client, o.presenceKey, member).then(() => connection.disconnect(true)), CHECK_TIMEOUT_MS) : Promise.reject();
      await quit.catch(() => connection.disconnect(false).catch(() => undefined));
    },
  };
}
