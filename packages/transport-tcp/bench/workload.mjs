// The request and reply every transport in the benchmark carries: an
// AppendEntries with one small kv command (~180 bytes as msgpack) and its reply.
export const request = {
  term: 5,
  leaderId: 1,
  prevLogIndex: 100_000,
  prevLogTerm: 5,
  entries: [
    {
      term: 5,
      command: {
        op: 'put',
        key: 'key-000042',
        value: 'v'.repeat(16),
        clientId: 'c1f2e3d4a5b6c7d8',
        seq: 42,
      },
    },
  ],
  leaderCommit: 99_999,
  round: 7,
};

export function reply(args) {
  return {
    term: args.term,
    success: true,
    matchIndex: args.prevLogIndex + 1,
    conflictIndex: 0,
    conflictTerm: 0,
    round: args.round,
  };
}

export const GRPC_PATH = '/raftkit.bench.Bench/Echo';
