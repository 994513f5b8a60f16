import { CATALOG_LOCATION_FILE, catalogEntryFile, renderCatalogComponent, renderCatalogLocation } from '../render/backstage-catalog.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/**
 * loadtests/ci/catalog/: a Backstage catalog-info.yaml per service and a Location listing them.
 * Under loadtests/ci/ because the top-level folders are fixed and this is what the developer
 * platform (CI, the portal) reads, not what the collector or Grafana load.
 */
export const backstageCatalogTarget: Target = {
  name: 'backstage-catalog',
  root: 'loadtests',
  describe: 'Backstage catalog entry per service linking its dashboard, alert rules and load test; a Location for all',
  *files(model) {
    yield [
      CATALOG_LOCATION_FILE,
      toYaml(renderCatalogLocation(model), ['Register this one URL in Backstage (catalog.locations or "Register existing component").']),
    ];
    for (const s of model.services) yield [catalogEntryFile(s.name), toYaml(renderCatalogComponent(model, s), [`Backstage catalog entry for ${s.name}.`])];
  },
};
