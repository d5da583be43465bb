import { fullonVitestConfig } from '../core/src/testing/vitest-config.ts';

export default fullonVitestConfig();
