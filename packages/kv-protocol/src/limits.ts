/** Limits on what a request may carry, in bytes (a string key or value counts its UTF-8 bytes). */
export interface RequestLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
}

/** The limits a server applies unless configured otherwise. */
export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  maxKeyBytes: 4096,
  maxValueBytes: 1 << 20,
});

/** Longest client id a server accepts, in characters. */
export const MAX_CLIENT_ID_LENGTH = 128;

/** Most compares, or ops in one branch, of a txn (etcd's --max-txn-ops default). */
export const MAX_TXN_OPS = 128;

/** Deepest txn nesting accepted (etcd's op budget bounds it to 128 as well). */
export const MAX_TXN_DEPTH = 128;

/** Largest duration a clerk accepts for a timeout or pause, in ms (about 24.8 days, the timer limit). */
export const MAX_DURATION_MS = 2_147_483_647;
