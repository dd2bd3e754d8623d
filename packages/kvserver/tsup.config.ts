import { packageConfig } from '../../tsup.base.js';

// One build for both entries, so `./testing` shares the KvServer class of `.`.
export default packageConfig([], {
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
});
