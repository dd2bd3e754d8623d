/** Injected by tsup's `define` at build time (absent when tests run the sources). */
declare const __RAFTKIT_VERSION__: string;
