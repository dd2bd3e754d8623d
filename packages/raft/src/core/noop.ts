/**
 * The command of the empty entry a leader appends on election when
 * `noopOnElection` is on. It is stored and replicated like any command (so it
 * survives any storage codec) and recognised by shape; it reaches the apply
 * sink as `{ kind: 'noop' }`, never as a command. A user command must not be
 * an object whose only key is "@raftkit/noop".
 */
export const NOOP_COMMAND: Readonly<Record<string, number>> = Object.freeze({ '@raftkit/noop': 1 });

export function isNoopCommand(command: unknown): boolean {
  if (typeof command !== 'object' || command === null) return false;
  const keys = Object.keys(command);
  return (
    keys.length === 1 &&
    keys[0] === '@raftkit/noop' &&
    (command as Record<string, unknown>)['@raftkit/noop'] === 1
  );
}
