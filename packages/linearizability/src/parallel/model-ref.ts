import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '@raftkit/core';
import type { AnyModel } from '../model.js';
import { builtinModels } from '../parse/history-json.js';

/**
 * Names a model for `checkOperationsParallel`. Models hold functions, which cannot cross a
 * thread boundary, so each worker loads the model itself: a built-in name (`'kv'`, `'register'`,
 * `'etcd'`), or a module every worker can import that exports the model. `module` is a `URL`
 * (e.g. `new URL('./my-model.js', import.meta.url)`), an absolute file path, a URL string
 * (`file:`, `data:`) or a package name; `export` is the export's name (default `default`).
 */
export type ModelRef = string | { module: string | URL; export?: string };

/** A `ModelRef` resolved to plain data that a worker can receive. */
export type ModelSpec =
  | { kind: 'builtin'; name: string }
  | { kind: 'module'; href: string; exportName: string };

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function invalid(message: string, cause?: unknown): InvalidArgumentError {
  return new InvalidArgumentError({ argument: 'modelRef', message, cause });
}

/** Resolves a bare package name as the main thread would, so every worker loads the same file. */
function resolveBare(specifier: string): string {
  try {
    return import.meta.resolve(specifier);
  } catch (cause) {
    throw invalid(`modelRef.module: cannot resolve the package "${specifier}"`, cause);
  }
}

function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') {
    throw invalid('modelRef.module must be a URL, an absolute path or a package name');
  }
  if (isAbsolute(module)) return pathToFileURL(module).href;
  if (module.startsWith('.')) {
    throw invalid(
      `modelRef.module "${module}" is relative, which is ambiguous in a worker; pass new URL("${module}", import.meta.url) or an absolute path`,
    );
  }
  return URL_SCHEME.test(module) ? module : resolveBare(module);
}

/** Checks `ref` and turns it into a `ModelSpec`. Throws `InvalidArgumentError`. */
export function toModelSpec(ref: ModelRef): ModelSpec {
  if (typeof ref === 'string') {
    if (!Object.hasOwn(builtinModels, ref)) {
      const names = Object.keys(builtinModels)
        .map((n) => `"${n}"`)
        .join(', ');
      throw invalid(
        `unknown built-in model "${ref}"; expected one of ${names}, or { module, export } for your own model`,
      );
    }
    return { kind: 'builtin', name: ref };
  }
  if (typeof ref !== 'object' || ref === null || !('module' in ref)) {
    throw invalid('modelRef must be a built-in model name or { module, export? }');
  }
  const exportName = ref.export ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') {
    throw invalid('modelRef.export must be a non-empty string');
  }
  return { kind: 'module', href: moduleHref(ref.module), exportName };
}

/** A short text for messages, e.g. `kv` or `file:///m.js#counterModel`. */
export function describeSpec(spec: ModelSpec): string {
  return spec.kind === 'builtin' ? spec.name : `${spec.href}#${spec.exportName}`;
}

/** Loads the model `spec` names (in the main thread and in each worker). */
export async function loadModel(spec: ModelSpec): Promise<AnyModel> {
  if (spec.kind === 'builtin') return builtinModels[spec.name]!;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(spec.href)) as Record<string, unknown>;
  } catch (cause) {
    throw invalid(
      `cannot import the model module ${spec.href}: ${(cause as Error).message}`,
      cause,
    );
  }
  const model = namespace[spec.exportName] as Partial<AnyModel> | undefined;
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.name !== 'string' ||
    typeof model.init !== 'function' ||
    typeof model.step !== 'function'
  ) {
    throw invalid(
      `${describeSpec(spec)} is not a model: the export must be an object with name, init and step`,
    );
  }
  return model as AnyModel;
}
