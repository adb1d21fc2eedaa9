// Two servers behind one PostgreSQL database, as behind a load balancer: a note
// written in a browser served by one appears at once in a browser served by the
// other, both ways (LISTEN/NOTIFY, no polling). Skipped without PostgreSQL.
const { spawnSync } = require('node:child_process');
const { test, expect, startServer, ready, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));

const adminUrl = process.env.COCREA_TEST_POSTGRES_URL;

/** Runs `createdb` or `dropdb` on the test server (named like the Rust suite's, so `.ci/test` clears leftovers). */
function pg(tool, name) {
  const url = new URL(adminUrl);
  const done = spawnSync(tool, ['-h', url.hostname, '-p', url.port || '5432',
    '-U', decodeURIComponent(url.username || 'postgres'), name], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password || '') },
    encoding: 'utf8',
  });
  if (done.status !== 0) throw new Error(`${tool} failed: ${done.stderr}`);
  url.pathname = '/' + name;
  return url.toString();
}

const questions = (page) => page.getByRole('region', { name: t['board.column.questions'], exact: true }).first();

test('a note written through one server reaches a browser of the other', async ({ browser }) => {
  test.skip(!adminUrl, 'COCREA_TEST_POSTGRES_URL is not set');
  const name = `cocrea_t_browser_${process.pid}_${Date.now()}`;
  const databaseUrl = pg('createdb', name);
  const first = await startServer({ databaseUrl });
  const second = await startServer({ databaseUrl });
  try {
    const board = (server) => server.url + '/roundtables/1/board';
    const vecina = await (await browser.newContext()).newPage();
    const osc = await (await browser.newContext()).newPage();
    await logIn(vecina, first, account('vecina'), true);
    await logIn(osc, second, account('osc'), true);
    for (const [page, server] of [[vecina, first], [osc, second]]) {
      await page.goto(board(server));
      await ready(page, true);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(demo.roundtables[0].title);
    }
    await questions(vecina).getByLabel(t['board.new_note']).fill('Escrita en el primer servidor');
    await questions(vecina).getByRole('button', { name: t['board.add'] }).click();
    await expect(questions(osc).locator('.note .prose', { hasText: 'Escrita en el primer servidor' }))
      .toBeVisible({ timeout: 3000 });
    await questions(osc).getByLabel(t['board.new_note']).fill('Escrita en el segundo servidor');
    await questions(osc).getByRole('button', { name: t['board.add'] }).click();
    await expect(questions(vecina).locator('.note .prose', { hasText: 'Escrita en el segundo servidor' }))
      .toBeVisible({ timeout: 3000 });
  } finally {
    first.stop();
    second.stop();
    await new Promise((r) => setTimeout(r, 500)); // their connections close
    pg('dropdb', name);
  }
});
