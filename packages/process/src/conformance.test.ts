import { describeConformance } from '@fullon/core/testing';
import { processConformance } from './conformance.test-helpers.js';

describeConformance(processConformance);
