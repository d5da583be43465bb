import { fullonVitestConfig } from '@fullon/core/testing/vitest-config';

export default fullonVitestConfig();
