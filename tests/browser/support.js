// Shared test support: a fresh server per test, axe-core checks, and helpers.
const { test: base, expect } = require('@playwright/test');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const binary = path.join(root, 'target/debug/cocrea');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Starts `cocrea serve` on port 0 with the demo data: on a fresh SQLite
 * database, or on `databaseUrl` (several servers may share one PostgreSQL).
 */
async function startServer({ databaseUrl } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cocrea-browser-'));
  const child = spawn(binary, [
    '--database-url', databaseUrl || `sqlite://${dir}/cocrea.db`,
    'serve', '--addr', '127.0.0.1:0', '--seed-demo',
    '--seeds-dir', path.join(root, 'seeds'),
    '--site-root', path.join(root, 'target/site'),
    '--mail-dir', path.join(dir, 'mail'),
    '--files-dir', path.join(dir, 'files'),
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${stderr}`)));
  });
  return {
    url,
    dir,
    stop() {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs axe-core on the page; any violation fails the test. A page without
 * JavaScript cannot run axe itself, so its HTML (scripts removed) is checked in a
 * scripted page that loads the same stylesheet.
 */
async function expectAccessible(page, label) {
  let target = page;
  let scratch;
  if (page.__javaScript === false) {
    const html = (await page.content()).replace(/<script[\s\S]*?<\/script>/gi, '');
    const origin = new URL(page.url()).origin;
    scratch = await page.context().browser().newContext({ javaScriptEnabled: true });
    target = await scratch.newPage();
    await target.goto(origin + '/healthz');
    await target.setContent(html.replace('<head>', `<head><base href="${origin}/">`), { waitUntil: 'load' });
  }
  await target.evaluate(axeSource);
  const result = await target.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  if (scratch) await scratch.close();
  const summary = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(summary, `axe violations on ${label || page.url()}`).toEqual([]);
}

const emailsShownIn = ['/admin/users', '/account', '/account/data.json', '/api/admin_users', '/api/my_account',
  '/organizations/review', '/api/directory_review', '/organizations/edit', '/api/directory_entry', '/organizations/mine', '/api/my_organizations'];
const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/g;

const test = base.extend({
  server: async ({}, use) => {
    const server = await startServer();
    await use(server);
    server.stop();
  },
  // Console errors (CSP violations, hydration panics) fail the test.
  // (Answers with 4xx statuses to refused forms are expected and not counted.)
  page: async ({ page, javaScriptEnabled }, use) => {
    page.__javaScript = javaScriptEnabled !== false;
    const problems = [];
    // No page, server function or download shows an email address except the
    // administrators' people list and the person's own account; what the
    // request itself carried (a form echoed back to whoever typed it) is theirs.
    const scans = [];
    page.on('response', (res) => {
      const url = new URL(res.url());
      const kind = res.request().resourceType();
      if (!['document', 'fetch', 'xhr'].includes(kind) || url.pathname.startsWith('/pkg/')) return;
      scans.push(res.text().then((body) => {
        if (emailsShownIn.includes(url.pathname)) return;
        // A refused form without JavaScript comes back with what was typed in
        // `__err` (base64 of the error, which echoes the fields).
        const echoed = Buffer.from(url.searchParams.get('__err') || '', 'base64url').toString('utf8');
        const sent = decodeURIComponent(res.url() + ' ' + (res.request().postData() || '')).replace(/\+/g, ' ') + echoed;
        for (const email of body.match(emailPattern) || []) {
          if (!sent.includes(email)) problems.push(`email address ${email} shown by ${url.pathname}`);
        }
      }).catch(() => {}));
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(String(err) + '\n' + (err.stack || '')));
    await use(page);
    await Promise.all(scans);
    expect(problems, 'browser console errors and shown email addresses').toEqual([]);
  },
});

/** A label matcher: the label starts with `text` (labels of required fields end in "*"). */
function label(text) {
  return new RegExp('^' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/**
 * With JavaScript, waits until the page's islands (the parts that run in the
 * browser) have hydrated, and a visitor's live board follows its stream; a page
 * without either, or without JavaScript, is ready at once.
 */
async function ready(page, js) {
  if (js && (await page.locator('leptos-island').count()) > 0) {
    await page.waitForSelector('body[data-hydrated]');
  }
  if (js && (await page.locator('#live-board').count()) > 0) {
    await page.waitForSelector('body[data-following]');
  }
}

const t = require('../../app/locales/es-AR.json');

/** Signs `who` (a demo account) in through the login form; by keyboard with `keyboard`. */
async function logIn(page, server, who, js, { keyboard = false } = {}) {
  await page.goto(server.url + '/login');
  await ready(page, js);
  await page.getByLabel(label(t['field.email'])).fill(who.email);
  await page.getByLabel(label(t['field.password'])).fill(who.password);
  if (keyboard) await page.getByLabel(label(t['field.password'])).press('Enter');
  else await page.getByRole('button', { name: t['login.submit'] }).click();
  await expect(page.locator('.nav-user')).toHaveText(who.name);
}

async function logOut(page) {
  await page.getByRole('button', { name: t['nav.logout'] }).click();
  await expect(page.getByRole('link', { name: t['nav.login'] })).toBeVisible();
}

module.exports = { test, expect, expectAccessible, ready, startServer, label, logIn, logOut };
