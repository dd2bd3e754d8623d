import type { ScriptEnv, Wire } from './env.js';

/** A peer named in a script (1..n) → its id (0..n-1). */
export function peer(env: ScriptEnv, arg: string | undefined): number {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > env.n)
    throw new Error(`no peer "${arg}" (peers are 1..${env.n})`);
  return n - 1;
}

/** `a->b` → the ids of its ends. */
export function link(env: ScriptEnv, arg: string | undefined): { from: number; to: number } {
  const m = /^(\d+)->(\d+)$/.exec(arg ?? '');
  if (m === null) throw new Error(`expected a link such as 1->2, got "${arg}"`);
  return { from: peer(env, m[1]), to: peer(env, m[2]) };
}

/** Messages on the wire from `from` to `to`, oldest first. */
export function onLink(env: ScriptEnv, from: number, to: number): Wire[] {
  return env.wire.filter((w) => w.from === from && w.to === to);
}

/** `xN` repeat count (default 1). */
export function repeat(args: string[]): { count: number; rest: string[] } {
  const k = args.findIndex((a) => /^x\d+$/.test(a));
  if (k < 0) return { count: 1, rest: args };
  return { count: Number(args[k]!.slice(1)), rest: args.filter((_, i) => i !== k) };
}

/** `key=value` pairs; values true/false and numbers are converted. */
export function options(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) {
    const [k, v] = a.split('=');
    if (v === undefined) out[k!] = true;
    else if (v === 'true' || v === 'false') out[k!] = v === 'true';
    else if (/^-?\d+$/.test(v)) out[k!] = Number(v);
    else out[k!] = v;
  }
  return out;
}
