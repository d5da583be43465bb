import { describeStallConformance } from '@fullon/core/testing';
import { tradesConformance } from './conformance.test-helpers.js';

describeStallConformance(tradesConformance);
