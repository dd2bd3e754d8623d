#!/usr/bin/env bash
# Creates a package with the standard raftkit layout: scripts/new-package.sh <dir> <name> "<description>"
set -euo pipefail
dir=$1; name=$2; desc=$3
mkdir -p "$dir/src" "$dir/test"
short=${name#@raftkit/}
cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.0.0",
  "description": "$desc",
  "license": "MIT",
  "type": "module",
  "engines": { "node": ">=20.19" },
  "sideEffects": false,
  "exports": {
    ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" },
    "./package.json": "./package.json"
  },
  "main": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "files": ["dist", "README.md", "CHANGELOG.md"],
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc -p tsconfig.json",
    "lint": "biome check src test",
    "test": "vitest run"
  },
  "devDependencies": {
    "@types/node": "catalog:",
    "tsup": "catalog:",
    "typescript": "catalog:",
    "vitest": "catalog:"
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "bench", "*.ts"]
}
JSON
cat > "$dir/tsup.config.ts" <<'TS'
import { packageConfig } from '../../tsup.base.js';

export default packageConfig();
TS
cat > "$dir/vitest.config.ts" <<'TS'
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
  },
});
TS
echo "# $name" > "$dir/README.md"
