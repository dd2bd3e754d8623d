import { packageConfig } from '../../tsup.base.js';

// The CLI is a second entry, built after the library (so `clean` keeps it).
export default packageConfig(
  [{ entry: ['src/cli.ts'], banner: { js: '#!/usr/bin/env node' } }],
  { clean: ['!cli.js', '!cli.js.map'] },
);
