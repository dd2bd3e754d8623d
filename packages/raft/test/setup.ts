import fc from 'fast-check';
import { seedFastCheck } from '../../../scripts/test-support/fast-check-seed.js';

seedFastCheck(fc);
