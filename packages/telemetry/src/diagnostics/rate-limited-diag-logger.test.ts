import { describe, expect, it } from 'vitest';
import { RateLimitedDiagLogger } from './rate-limited-diag-logger.js';

describe('RateLimitedDiagLogger', () => {
  it('turns an error storm into one warning per interval with a suppressed count', () => {
    let now = 0;
    const lines: string[] = [];
    const diag = new RateLimitedDiagLogger(
      (m) => lines.push(m),
      () => now,
      60_000,
    );
    for (let i = 0; i < 1000; i++) diag.error('export failed', new Error('ECONNREFUSED'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ECONNREFUSED');
    now = 61_000;
    diag.warn('still failing');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('999 similar SDK messages suppressed');
  });
});
