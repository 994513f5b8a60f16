import { renderK6Script } from '../render/k6.js';
import type { Target } from './target.js';

/** loadtests/: one k6 script per service with the SLOs as thresholds. */
export const k6Target: Target = {
  name: 'k6',
  root: 'loadtests',
  describe: 'k6 load test per service, the SLOs as thresholds',
  *files(model) {
    for (const s of model.services) yield [`${s.name}.js`, renderK6Script(s)];
  },
};
