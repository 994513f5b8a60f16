import { describe, expect, it } from 'vitest';
import { loadManifest } from '../src/manifest/validate.js';
import { renderDatasources } from '../src/render/grafana-provisioning.js';
import { MINIMAL, exampleModel } from './helpers.js';

type Datasource = { name: string; url: string; jsonData: Record<string, unknown>; secureJsonData?: Record<string, string> };
const datasources = (text: string): Datasource[] => (renderDatasources(loadManifest(text, 'm.yaml')) as { datasources: Datasource[] }).datasources;

describe('Grafana datasources', () => {
  it("query over https with the CA from a file and credentials from Grafana's environment", () => {
    const [prometheus, loki, tempo] = (renderDatasources(exampleModel()) as { datasources: Datasource[] }).datasources;
    expect(prometheus!.url).toBe('https://prometheus:9090');
    expect(prometheus!.jsonData).toMatchObject({ httpHeaderName1: 'Authorization', tlsAuthWithCACert: true });
    expect(prometheus!.secureJsonData).toEqual({ httpHeaderValue1: 'Bearer $__env{GRAFANA_PROMETHEUS_TOKEN}', tlsCACert: '$__file{/etc/grafana/tls/ca.crt}' });
    expect(loki!.jsonData).toMatchObject({ httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'Authorization' });
    expect(loki!.secureJsonData).toMatchObject({ httpHeaderValue1: 'platform', httpHeaderValue2: 'Basic $__env{GRAFANA_LOKI_BASIC_AUTH}' });
    expect(tempo!.secureJsonData?.['httpHeaderValue1']).toBe('Bearer $__env{GRAFANA_TEMPO_TOKEN}');
  });

  it('defaults to https query URLs and refuses plain http unless that backend is insecure on purpose', () => {
    expect(datasources(MINIMAL).map((d) => d.url)).toEqual(['https://prometheus:9090', 'https://loki:3100', 'https://tempo:3200']);
    expect(() => loadManifest(`backends:\n  metrics: { queryUrl: "http://prometheus:9090" }\n${MINIMAL}`, 'm.yaml')).toThrow(
      /backends\.metrics\.queryUrl: plain http:\/\/ endpoint while TLS is on/,
    );
    expect(
      datasources(
        `backends:\n  metrics: { queryUrl: "http://prometheus:9090", endpoint: "http://prometheus:9090/api/v1/write", tls: { insecure: true } }\n${MINIMAL}`,
      )[0]!.url,
    ).toBe('http://prometheus:9090');
  });

  it('refuses literal credentials in query headers', () => {
    expect(() =>
      loadManifest(`backends:\n  metrics: { queryHeaders: { Authorization: "Bearer abcdefabcdefabcdefabcdef1234" } }\n${MINIMAL}`, 'm.yaml'),
    ).toThrow(/queryHeaders\.Authorization: literal credential in header/);
  });
});
