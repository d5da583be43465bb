import { describeStallConformance } from '@fullon/core/testing';
import { ordersConformance } from './conformance.test-helpers.js';

describeStallConformance(ordersConformance);
