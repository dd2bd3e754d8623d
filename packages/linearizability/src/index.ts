export { RaftkitError } from '@raftkit/core';
export { InvalidHistoryError } from './errors/invalid-history-error.js';
export { InvalidArgumentError } from '@raftkit/core';
export { WorkerError } from './errors/worker-error.js';
export { ILLEGAL } from './model.js';
export type { AnyModel, Event, Illegal, Model, Operation } from './model.js';
export type {
  CheckAsyncOptions,
  CheckOptions,
  CheckParallelOptions,
  CheckProgress,
} from './options.js';
export type {
  CheckResult,
  PartialLinearizations,
  PartitionResult,
  UnknownReason,
  Verdict,
} from './result.js';
export { partialLinearizationOf } from './result.js';
export type { Annotation } from './annotations.js';
export { parseAnnotations } from './annotations.js';
export { fromNondeterministic } from './nondeterministic.js';
export type { NondeterministicModel } from './nondeterministic.js';
export { HistoryJsonStream } from './parse/history-stream.js';
export { KvLogReader } from './parse/kv-log.js';
export { defaultMemoryBudget } from './memory.js';
export { checkEvents, checkEventsAsync, checkOperations, checkOperationsAsync } from './check.js';
export { checkOperationsParallel } from './parallel/check-parallel.js';
export type { ModelRef } from './parallel/model-ref.js';
export { eventsToOperations } from './events.js';
export { kvModel } from './models/kv.js';
export type { KvInput, KvOutput, KvState } from './models/kv.js';
export { makeRegisterModel, registerModel } from './models/register.js';
export type { RegisterInput, RegisterOutput, RegisterValue } from './models/register.js';
export { etcdModel } from './models/etcd.js';
export type { EtcdInput, EtcdOutput, EtcdState } from './models/etcd.js';
export { etcdKvModel, etcdKvNamespace } from './models/etcd-kv.js';
export type { EtcdKvInput, EtcdKvOutput, EtcdKvState } from './models/etcd-kv.js';
export { builtinModels, parseHistoryJson } from './parse/history-json.js';
export type { ParseHistoryOptions, ParsedHistory } from './parse/history-json.js';
export { parseJepsenLog } from './parse/jepsen-log.js';
export type { ParsedLog } from './parse/jepsen-log.js';
export { parseKvLog } from './parse/kv-log.js';
export { hashString, hashValue } from './hash.js';
export { renderVisualization } from './visualization/render.js';
export type { RenderOptions } from './visualization/render.js';
