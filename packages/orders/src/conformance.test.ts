import { describeConformance } from '@fullon/core/testing';
import { ordersConformance } from './conformance.test-helpers.js';

describeConformance(ordersConformance);
