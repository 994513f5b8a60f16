import { describe, expect, it } from 'vitest';
import { selectInstrumentations } from './instrumentation-table.js';

describe('selectInstrumentations', () => {
  it('enables everything except fs/dns/net by default', () => {
    const names = selectInstrumentations(undefined, []).map((e) => e.name);
    expect(names).toContain('http');
    expect(names).toContain('express');
    expect(names).not.toContain('fs');
    expect(names).not.toContain('dns');
    expect(names).not.toContain('net');
  });
  it('honours enabled and disabled lists', () => {
    expect(selectInstrumentations(['http', 'fs'], []).map((e) => e.name)).toEqual(['http', 'fs']);
    expect(selectInstrumentations(undefined, ['express']).map((e) => e.name)).not.toContain('express');
  });
});
