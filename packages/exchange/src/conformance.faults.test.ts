import { describeStallConformance } from '@fullon/core/testing';
import { exchangeConformance } from './conformance-exchange.test-helpers.js';

describeStallConformance(exchangeConformance);
