import { describeConformance } from '@fullon/core/testing';
import { tickConformance } from './conformance.test-helpers.js';

describeConformance(tickConformance);
