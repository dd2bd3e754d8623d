import { describe } from 'vitest';
import { tests3C } from '../src/raft-harness/tests-3c.js';
import { defineLabSuite } from './lab-suite.js';

describe('Raft 3C', () => defineLabSuite(tests3C));
