import { fullonVitestConfig } from './src/testing/vitest-config.ts';

export default fullonVitestConfig();
