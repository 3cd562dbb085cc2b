import { afterEach, describe, expect, it } from 'vitest';
import { run, scratch } from './harness.js';

describe('hints name CLI commands; packages only give reasons', () => {
  const s = scratch();
  afterEach(() => s.cleanup());

  it('notion check before setup says how to set it up', async () => {
    const result = await run(['notion', 'check'], { store: s.store, env: { NOTION_TOKEN: 'secret_test', NOTION_BASE_URL: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No Notion databases to check');
    expect(result.stderr).toContain('hint: run `sagasync notion setup --parent <page-id>`');
  });
});
