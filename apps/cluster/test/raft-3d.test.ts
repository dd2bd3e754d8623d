import { describe } from 'vitest';
import { tests3D } from '../src/raft-harness/tests-3d.js';
import { defineLabSuite } from './lab-suite.js';

describe('Raft 3D', () => defineLabSuite(tests3D));
