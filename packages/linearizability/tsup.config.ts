import { packageConfig } from '../../tsup.base.js';

// The CLI and the worker of the parallel mode are extra entries, built after the library (so
// `clean` keeps them). The library finds the worker beside itself: dist/check-worker.js.
export default packageConfig(
  [
    { entry: ['src/cli.ts'], banner: { js: '#!/usr/bin/env node' } },
    { entry: ['src/worker/check-worker.ts'] },
  ],
  { clean: ['!cli.js', '!cli.js.map', '!check-worker.js', '!check-worker.js.map'] },
);
