import { describeConformance } from '@fullon/core/testing';
import { accountConformance } from './conformance.test-helpers.js';

describeConformance(accountConformance);
