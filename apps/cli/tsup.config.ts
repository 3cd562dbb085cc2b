import { appConfig } from '../../tools/build/tsup.js';

export default appConfig({ banner: { js: '#!/usr/bin/env node' } });
