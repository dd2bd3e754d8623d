import { describe } from 'vitest';
import { tests3B } from '../src/raft-harness/tests-3b.js';
import { defineLabSuite } from './lab-suite.js';

describe('Raft 3B', () => defineLabSuite(tests3B));
