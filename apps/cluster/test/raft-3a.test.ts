import { describe } from 'vitest';
import { tests3A } from '../src/raft-harness/tests-3a.js';
import { defineLabSuite } from './lab-suite.js';

describe('Raft 3A', () => defineLabSuite(tests3A));
