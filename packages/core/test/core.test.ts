import { describe, expect, it } from 'vitest';
import {
  createCryptoRng,
  defineService,
  InvalidArgumentError,
  RaftkitError,
  RealClock,
  RpcServer,
  serviceClient,
  UnknownMethodError,
} from '../src/index.js';

type EchoMethods = { Echo: { args: string; reply: string } };
const echo = defineService<EchoMethods>()('Echo', ['Echo']);

describe('RpcServer', () => {
  it('dispatches registered methods and counts them', async () => {
    const server = new RpcServer();
    server.addService(echo, { Echo: (text) => text.toUpperCase() });
    expect(server.has('Echo.Echo')).toBe(true);
    expect(server.dispatch('Echo.Echo', 'hi')).toBe('HI');
    expect(server.rpcCount).toBe(1);
  });

  it('throws a typed error for an unknown method, naming the registered ones', () => {
    const server = new RpcServer();
    server.addService(echo, { Echo: (text) => text });
    const error = (() => {
      try {
        server.dispatch('Echo.Nope', 'x');
      } catch (e) {
        return e;
      }
    })();
    expect(UnknownMethodError.isInstance(error)).toBe(true);
    expect(RaftkitError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Echo.Echo');
    expect(server.rpcCount).toBe(0);
  });

  it('refuses a missing handler and a second registration', () => {
    const server = new RpcServer();
    expect(() => server.addService(echo, {} as never)).toThrow(InvalidArgumentError);
    server.addService(echo, { Echo: (text) => text });
    expect(() => server.addService(echo, { Echo: (text) => text })).toThrow(/already registered/);
  });

  it('serviceClient prefixes the service name', async () => {
    const calls: string[] = [];
    const client = serviceClient(
      {
        call: async (method, args) => {
          calls.push(method);
          return { ok: true, reply: args };
        },
      },
      echo,
    );
    expect(await client.call('Echo', 'x')).toEqual({ ok: true, reply: 'x' });
    expect(calls).toEqual(['Echo.Echo']);
  });
});

describe('createCryptoRng', () => {
  it('draws integers within bounds, covering the range', () => {
    const rng = createCryptoRng();
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 9);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(9);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });

  it('floats in [0, 1), chance at the extremes, forks', () => {
    const rng = createCryptoRng();
    for (let i = 0; i < 1000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
    expect(rng.fork('x').seed).toBe('crypto/x');
  });

  it('rejects bad arguments with typed errors', () => {
    const rng = createCryptoRng();
    expect(() => rng.int(5, 1)).toThrow(InvalidArgumentError);
    expect(() => rng.int(0.5, 1)).toThrow(InvalidArgumentError);
    expect(() => rng.chance(1.5)).toThrow(InvalidArgumentError);
    expect(() => rng.chance(Number.NaN)).toThrow(InvalidArgumentError);
  });
});

describe('RealClock', () => {
  it('validates delays', () => {
    const clock = new RealClock();
    expect(() => clock.setTimer(-1, () => {})).toThrow(InvalidArgumentError);
    expect(() => clock.setTimer(Number.NaN, () => {})).toThrow(InvalidArgumentError);
  });

  it('fires a timer no earlier than its deadline, and cancel prevents it', async () => {
    const clock = new RealClock();
    const start = clock.now();
    let cancelledFired = false;
    clock
      .setTimer(5, () => {
        cancelledFired = true;
      })
      .cancel();
    const firedAt = await new Promise<number>((resolve) =>
      clock.setTimer(10, () => resolve(clock.now())),
    );
    expect(firedAt - start).toBeGreaterThanOrEqual(10);
    expect(cancelledFired).toBe(false);
  });

  it('sleep rejects with the abort reason', async () => {
    const clock = new RealClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});

describe('simulation guard', () => {
  it('refuses real time and real randomness between enterSimulation and its leave', async () => {
    const { enterSimulation, simulationRunning, RealTimeInSimulationError } = await import(
      '../src/index.js'
    );
    const clock = new RealClock();
    const leave = enterSimulation();
    expect(simulationRunning()).toBe(true);
    expect(() => new RealClock()).toThrow(RealTimeInSimulationError);
    expect(() => clock.setTimer(1, () => {})).toThrow(/pass the simulation clock and rng/);
    expect(() => createCryptoRng()).toThrow(RealTimeInSimulationError);
    leave();
    leave(); // idempotent: leaves once
    expect(simulationRunning()).toBe(false);
    expect(clock.now()).toBeGreaterThanOrEqual(0);
  });
});
