// Preloaded with --require into a measured child: writes its peak RSS (KiB) at exit.
'use strict';
const { writeFileSync } = require('node:fs');
const file = process.env.PLATFORM_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
