import { InvalidArgumentError } from '@raftkit/core';

/** The client URLs `raftkit up` gives its three nodes by default. */
export const DEFAULT_ENDPOINTS =
  'http://127.0.0.1:12379,http://127.0.0.1:22379,http://127.0.0.1:32379';

/**
 * Parses a comma-separated list of client URLs (`http://host:port`; a bare `host:port` means
 * http). Throws InvalidArgumentError naming the bad item. Duplicates are dropped; order kept.
 */
export function parseEndpoints(list: string): URL[] {
  if (typeof list !== 'string') {
    throw new InvalidArgumentError({
      argument: 'endpoints',
      message: 'endpoints must be a string',
    });
  }
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) {
    throw new InvalidArgumentError({
      argument: 'endpoints',
      message: 'no endpoint given; pass --endpoints http://127.0.0.1:2379[,...]',
    });
  }
  const seen = new Set<string>();
  const out: URL[] = [];
  for (const item of items) {
    const url = toUrl(item);
    if (!seen.has(url.origin)) {
      seen.add(url.origin);
      out.push(url);
    }
  }
  return out;
}

function toUrl(item: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(item) ? item : `http://${item}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError({
      argument: 'endpoints',
      message: `"${item}" is not a URL; expected http://host:port`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError({
      argument: 'endpoints',
      message: `"${item}" uses ${url.protocol}; only http:// and https:// endpoints are supported`,
    });
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new InvalidArgumentError({
      argument: 'endpoints',
      message: `"${item}" has a path or query; give only scheme, host and port`,
    });
  }
  return new URL(url.origin);
}
