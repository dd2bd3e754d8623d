import { SimNetwork, Simulation } from '../src/index.js';
import { defineService, RpcServer } from '@raftkit/core';

export type JunkMethods = {
  Handler1: { args: string; reply: number };
  Handler2: { args: number; reply: string };
  Handler4: { args: { x: string }; reply: { x: string } };
  Slow: { args: number; reply: number };
  Echo: { args: string; reply: string };
};

export const junkService = defineService<JunkMethods>()('Junk', [
  'Handler1',
  'Handler2',
  'Handler4',
  'Slow',
  'Echo',
]);

/** A lab-style "JunkServer": records what it saw; Slow sleeps `args` virtual ms. */
export function makeJunkServer(sim: Simulation) {
  const log: unknown[] = [];
  const server = new RpcServer();
  server.addService(junkService, {
    Handler1: (args) => {
      log.push(args);
      return Number.parseInt(args, 10);
    },
    Handler2: (args) => {
      log.push(args);
      return `handler2-${args}`;
    },
    Handler4: (args) => ({ x: `pointer-${args.x}` }),
    Slow: async (ms) => {
      log.push(ms);
      await sim.clock.sleep(ms);
      return ms;
    },
    Echo: (s) => s,
  });
  return { server, log };
}

/** One end "e" connected to server "s", enabled. */
export function oneLink(seed: number | string = 1) {
  const sim = new Simulation({ seed, printTrace: false });
  const net = new SimNetwork(sim);
  const { server, log } = makeJunkServer(sim);
  const end = net.makeEnd('e');
  net.connect('e', 's');
  net.addServer('s', server);
  net.enable('e', true);
  return { sim, net, end, server, log };
}
