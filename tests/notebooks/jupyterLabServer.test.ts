import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startJupyterLab } from '../../src/internal';
import { skipUnless } from '../support/requirements';

/** `npm start` serves JupyterLab from .venv on 127.0.0.1 with the tslab kernel, behind a token, and stops cleanly. */
test('JupyterLab serves notebooks/ with the tslab kernel and stops on request', {
  timeout: 120_000,
  skip: skipUnless('python'),
}, async () => {
  const lab = await startJupyterLab();
  try {
    assert.match(lab.url, /^http:\/\/127\.0\.0\.1:\d+\/lab\?token=[0-9a-f]{48}$/);
    const specs = (await (
      await fetch(`http://127.0.0.1:${lab.port}/api/kernelspecs`, { headers: { Authorization: `token ${lab.token}` } })
    ).json()) as { default: string; kernelspecs: Record<string, unknown> };
    assert.ok('tslab' in specs.kernelspecs, `kernelspecs: ${Object.keys(specs.kernelspecs).join(', ')}`);
    assert.equal(specs.default, 'tslab');
    const contents = (await (
      await fetch(`http://127.0.0.1:${lab.port}/api/contents`, { headers: { Authorization: `token ${lab.token}` } })
    ).json()) as { content: { name: string }[] };
    assert.ok(contents.content.some((item) => item.name === '03-rebalancing.ipynb'));
    assert.equal((await fetch(`http://127.0.0.1:${lab.port}/api/kernelspecs`)).status, 403, 'the API needs the token');
  } finally {
    await lab.stop();
  }
  assert.notEqual(await lab.exited, undefined);
});
