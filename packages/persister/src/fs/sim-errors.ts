/** The errno values the simulated disk raises, as Node reports them. */
const errnos = {
  EIO: { errno: -5, text: 'i/o error' },
  ENOSPC: { errno: -28, text: 'no space left on device' },
  ENOENT: { errno: -2, text: 'no such file or directory' },
  EEXIST: { errno: -17, text: 'file already exists' },
  EISDIR: { errno: -21, text: 'illegal operation on a directory' },
  ENOTDIR: { errno: -20, text: 'not a directory' },
  EBADF: { errno: -9, text: 'bad file descriptor' },
  EXDEV: { errno: -18, text: 'cross-device link not permitted' },
  EINVAL: { errno: -22, text: 'invalid argument' },
} as const;

export type SimErrorCode = keyof typeof errnos;

/** A Node-style system error (`code`, `errno`, `syscall`, `path`), like node:fs throws. */
export function simError(code: SimErrorCode, syscall: string, path: string): NodeJS.ErrnoException {
  const { errno, text } = errnos[code];
  const error = new Error(
    `${code}: ${text}, ${syscall} '${path}' (simulated disk)`,
  ) as NodeJS.ErrnoException;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  error.path = path;
  return error;
}
