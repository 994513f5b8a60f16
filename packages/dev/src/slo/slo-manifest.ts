/**
 * The part of the generator's resolved model (`PlatformModel` from `@platform/generator`'s
 * `loadManifest`) that `platform dev` reads. Declared structurally so this package does not
 * depend on the generator (the generator's CLI loads the manifest and passes the model in).
 */
export interface AvailabilitySloInput {
  readonly objectivePercent: number;
  readonly target: number;
  readonly errorBudget: number;
  readonly window: string;
  readonly windowDays: number;
}

export interface LatencySloInput {
  readonly text: string;
  readonly percentile: number;
  readonly target: number;
  readonly errorBudget: number;
  readonly thresholdMs: number;
  readonly window: string;
  readonly windowDays: number;
}

export interface ServiceSloInput {
  readonly name: string;
  readonly slos: { readonly availability?: AvailabilitySloInput; readonly latency?: LatencySloInput };
}

export interface SloManifest {
  readonly services: readonly ServiceSloInput[];
}
