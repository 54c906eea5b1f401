// kinesalite ships no types; only the factory is used.
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
    path?: string;
  }

  function kinesalite(options?: KinesaliteOptions): Server;
  export default kinesalite;
}
