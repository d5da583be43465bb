import { describeConformance } from '@fullon/core/testing';
import { exchangeConformance } from './conformance-exchange.test-helpers.js';

describeConformance(exchangeConformance);
