import { describe, expect, it } from 'vitest';
import { INSTRUMENTATION_TABLE, selectInstrumentations, withoutCovered } from './instrumentation-table.js';

describe('selectInstrumentations', () => {
  it('enables everything except fs/dns/net by default', () => {
    const names = selectInstrumentations(undefined, []).map((e) => e.name);
    expect(names).toContain('http');
    expect(names).toContain('express');
    expect(names).not.toContain('fs');
    expect(names).not.toContain('dns');
    expect(names).not.toContain('net');
  });
  it('route-only framework instrumentations are on; upstream nestjs-core (spans per handler) only by name', () => {
    const names = selectInstrumentations(undefined, []).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['express', 'fastify', 'koa', 'hapi']));
    expect(names).not.toContain('nestjs-core');
    expect(selectInstrumentations(['nestjs-core'], []).map((e) => e.name)).toEqual(['nestjs-core']);
    expect(INSTRUMENTATION_TABLE.filter((e) => e.ownImplementation).map((e) => e.name)).toEqual(['express', 'fastify', 'koa', 'hapi']);
  });
  it('honours enabled and disabled lists', () => {
    expect(selectInstrumentations(['http', 'fs'], []).map((e) => e.name)).toEqual(['http', 'fs']);
    expect(selectInstrumentations(undefined, ['express']).map((e) => e.name)).not.toContain('express');
  });
});

describe('withoutCovered', () => {
  const pick = (...names: string[]) => INSTRUMENTATION_TABLE.filter((e) => names.includes(e.name));
  it('skips router when express loads too (Express 5 runs on router: one set of layer spans)', () => {
    expect(withoutCovered(pick('http', 'express', 'router'), undefined).map((e) => e.name)).toEqual(['http', 'express']);
  });
  it('keeps router for apps on router alone, or when it is enabled by name', () => {
    expect(withoutCovered(pick('http', 'router'), undefined).map((e) => e.name)).toEqual(['http', 'router']);
    expect(withoutCovered(pick('express', 'router'), ['express', 'router']).map((e) => e.name)).toEqual(['express', 'router']);
  });
});
