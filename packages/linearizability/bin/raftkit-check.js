#!/usr/bin/env node
// The command-line entry point. It is committed (dist/ is not) so that package
// managers can link the bin before the first build.
import '../dist/cli.js';
