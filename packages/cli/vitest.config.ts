import { fullonVitestConfig } from '@fullon/core/testing/vitest-config';

// The CLI tests spawn the built executable many times; they run against the standalone
// server only (the caches themselves are tested on both in their own packages).
export default fullonVitestConfig({ cluster: false });
