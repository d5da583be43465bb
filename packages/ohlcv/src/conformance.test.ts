import { describeConformance } from '@fullon/core/testing';
import { ohlcvConformance } from './conformance.test-helpers.js';

describeConformance(ohlcvConformance);
