import { describeConformance } from '@fullon/core/testing';
import { tradesConformance } from './conformance.test-helpers.js';

describeConformance(tradesConformance);
