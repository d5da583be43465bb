import { describeConformance } from '@fullon/core/testing';
import { botConformance } from './conformance.test-helpers.js';

describeConformance(botConformance);
