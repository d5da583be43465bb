import { fullonVitestConfig } from './src/testing/vitest-config.js';

export default fullonVitestConfig();
