import { ExportResultCode, type ExportResult } from '@opentelemetry/core';

/** What the span and log-record exporters have in common. */
export interface BatchExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * An exporter whose module is loaded on its first export instead of at start-up. The OTLP
 * exporters pull in ~140 modules (the OTLP transformer, sdk-metrics through it, the exporter
 * base); deferring them keeps that work off the path to the first request served, and a
 * process that never exports anything (a short CLI, `node -e 0`) never pays for it.
 * A loader failure becomes a failed export result, never a throw into the host.
 */
export class DeferredExporter<T> implements BatchExporter<T> {
  private inner: BatchExporter<T> | undefined;
  private loadError: Error | undefined;

  constructor(private readonly load: () => BatchExporter<T>) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    const exporter = this.loaded();
    if (exporter === undefined) {
      resultCallback({ code: ExportResultCode.FAILED, error: this.loadError });
      return;
    }
    exporter.export(items, resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner ? this.inner.shutdown() : Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return this.inner?.forceFlush ? this.inner.forceFlush() : Promise.resolve();
  }

  private loaded(): BatchExporter<T> | undefined {
    if (this.inner === undefined && this.loadError === undefined) {
      try {
        this.inner = this.load();
      } catch (error) {
        this.loadError = error instanceof Error ? error : new Error(String(error));
      }
    }
    return this.inner;
  }
}
