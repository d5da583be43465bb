import { describeConformance } from '@fullon/core/testing';
import { symbolsConformance } from './conformance-symbols.test-helpers.js';

describeConformance(symbolsConformance);
