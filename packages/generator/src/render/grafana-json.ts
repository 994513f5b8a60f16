import type { Dashboard, DashboardLink, DataQuery, DataSourceRef, FieldConfig, GridPos, Panel, RowPanel, ValueMapping, VariableModel } from '@grafana/schema';

/**
 * A @grafana/schema type as it appears in a dashboard JSON file: enum members in their literal form
 * (the file says "absolute", not ThresholdsMode.Absolute). Types only: nothing of @grafana/schema
 * is loaded at run time.
 */
export type AsJson<T> = T extends string
  ? T | `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<AsJson<U>>
      : T extends object
        ? { [K in keyof T]: AsJson<T[K]> }
        : T;

export type DashboardJson = AsJson<Dashboard>;
export type PanelJson = AsJson<Panel>;
export type RowPanelJson = AsJson<RowPanel>;
export type VariableJson = AsJson<VariableModel>;
export type DashboardLinkJson = AsJson<DashboardLink>;
export type FieldDefaultsJson = AsJson<FieldConfig>;
export type ValueMappingJson = AsJson<ValueMapping>;
export type GridPosJson = AsJson<GridPos>;
export type DataSourceRefJson = AsJson<DataSourceRef>;

/**
 * A Prometheus or Loki query of a panel: Grafana's DataQuery plus the datasource's own fields (a type
 * literal, not an interface, so it fits Panel's `targets: Record<string, unknown>[]`).
 */
export type PanelQueryJson = {
  refId: string;
  datasource: DataSourceRefJson;
  expr: string;
  legendFormat?: string;
  range?: boolean;
  exemplar?: boolean;
};
type Assert<T extends true> = T;
/** Compile-time check (tsc fails otherwise) that a panel query is a Grafana DataQuery. */
export type PanelQueryIsDataQuery = Assert<PanelQueryJson extends DataQuery ? true : false>;
