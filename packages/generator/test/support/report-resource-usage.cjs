// Preloaded with --require into a measured CLI child: writes its own resource usage at exit
// (peak RSS in KiB, CPU time in microseconds), so the measurement is the child's, not the runner's.
'use strict';
const { writeFileSync } = require('node:fs');
const file = process.env.PLATFORM_TEST_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMicros: u.userCPUTime + u.systemCPUTime }));
  });
}
