import { packageConfig } from '../../tsup.base.js';

export default packageConfig([], {
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'sweep-worker': 'src/sweep/worker.ts' },
  dts: { entry: 'src/index.ts' },
});
