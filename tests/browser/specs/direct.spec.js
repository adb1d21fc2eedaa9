// Every route, loaded directly (as if typed in the address bar, never reached by
// a click) as each role, with the demo data: it renders, its islands hydrate with
// no console error (a page without islands downloads no WebAssembly), and it
// passes axe. Routes a role may not see show their refusal the same way.
const { test, expect, expectAccessible } = require('../support');

const slug = 'plan-accion-caba-2021-2023';
const next = 'plan-accion-caba-2021-2023-segunda-instancia';
const proposals = [1, 2, 3, 4, 5];
const routes = [
  '/', '/login', '/signup', '/forgot-password', '/reset-password?token=unknown', '/privacy',
  '/account', '/account?saved=profile', '/confirm-email?token=unknown', '/?account=deleted',
  '/processes/new', `/processes/${slug}/edit`, `/processes/${slug}`, `/processes/${slug}/proposals`,
  `/processes/${slug}/proposals?q=datos&page=2`, `/processes/${slug}/proposals/new`,
  ...proposals.map((id) => `/proposals/${id}`),
  ...proposals.map((id) => `/proposals/${id}/feasibility`),
  '/proposals/1/edit', '/proposals/2/edit',
  `/processes/${slug}/feasibility`, `/processes/${slug}/feasibility/agencies/6`, '/feasibility',
  '/notifications', `/processes/${slug}/roundtables`, `/processes/${slug}/roundtables/new`,
  '/roundtables/1', '/roundtables/2', '/roundtables/3', '/roundtables/1/edit', '/roundtables/3/edit', '/roundtables/1/board', '/roundtables/2/board',
  `/processes/${slug}/commitments`, '/commitments/1', '/commitments/2', '/commitments/1/edit',
  '/commitments/2/edit', '/commitments/1/versions', '/commitments/1/comments', '/commitments/2/comments',
  '/commitments/1/monitoring', '/commitments/1/monitoring?filed=1', '/commitments/1/monitoring?error=evidence.bad_type',
  '/commitments/2/monitoring', '/monitoring', `/processes/${slug}/panel`, `/processes/${slug}/endorsements`, `/processes/${slug}/report`, `/processes/${slug}/data`, '/developers', '/proposals/3/trajectory', '/proposals/6/trajectory', '/evaluation', '/commitments/1/evaluation', `/processes/${slug}/monitoring-body`, `/processes/${next}/carry-over?from=${slug}`, `/processes/${slug}/panel?status=limited&agency=1`,
  '/organizations', '/organizations?sector=civil_society&axis=2&page=2', '/organizations/register',
  '/organizations/review', '/organizations/edit?id=1', '/organizations/mine', '/organizations/join?token=unknown',
  `/processes/${slug}/survey`, `/processes/${slug}/survey?sector=academia&axis=2&sent=2`, '/surveys/1', '/surveys/1/answers',
  `/processes/${slug}/invitations`, `/processes/${slug}/invitations?axis=2&sent=2`, '/invitations/open?token=unknown',
  `/processes/${slug}/announcements`, `/processes/${slug}/announcements?page=2`, '/calls', '/calls/confirm?token=unknown', '/moderation', '/admin/audit', '/admin/users', '/admin/organizations', '/admin/agencies',
  '/no-such-page', '/proposals/999999', '/proposals/9223372036854775807', '/commitments/0',
];

// Pages answered outside the app (no hydration): they pass axe all the same.
const plain = ['/unsubscribe/any-token/answer_published', '/unsubscribe/any-token/nothing', '/unsubscribe/calls/any-token'];

const roles = {
  anonymous: null,
  participant: { email: 'vecina@demo.cocrea.ar', password: 'demo-vecina-2021' },
  organization: { email: 'osc@demo.cocrea.ar', password: 'demo-osc-2021' },
  agency: { email: 'area@demo.cocrea.ar', password: 'demo-area-2021' },
  lead_agency: { email: 'legal@demo.cocrea.ar', password: 'demo-legal-2021' },
  facilitator: { email: 'facilitadora@demo.cocrea.ar', password: 'demo-facilita-2021' },
  admin: { email: 'admin@demo.cocrea.ar', password: 'demo-admin-2021' },
  evaluator: { email: 'evaluacion@demo.cocrea.ar', password: 'demo-evaluacion-2021' },
};

for (const [role, who] of Object.entries(roles)) {
  test(`every route loaded directly as ${role} hydrates cleanly and passes axe`, async ({ page, server }) => {
    test.setTimeout(15 * 60_000);
    if (who) {
      const res = await page.request.post(server.url + '/api/login', {
        form: who, headers: { origin: server.url, accept: 'application/json' },
      });
      expect(res.status(), `login as ${role}`).toBeLessThan(300);
    }
    const failures = [];
    let current = '';
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
        failures.push(`${current}: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => failures.push(`${current}: ${err}`));
    let wasm = [];
    page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasm.push(req.url()); });
    let hydrated = 0;
    let following = 0;
    for (const route of routes) {
      current = route;
      wasm = [];
      const res = await page.goto(server.url + route);
      expect(res.status(), route).toBeLessThan(500);
      if ((await page.locator('leptos-island').count()) > 0) {
        try {
          await page.waitForSelector('body[data-hydrated]', { timeout: 15_000 });
          hydrated += 1;
        } catch {
          failures.push(`${route}: never hydrated`);
          continue;
        }
      } else if ((await page.locator('#live-board').count()) > 0) {
        // A visitor's live board: plain HTML and a small script on the stream.
        try {
          await page.waitForSelector('body[data-following]', { timeout: 15_000 });
          following += 1;
        } catch {
          failures.push(`${route}: its live board never followed the stream`);
        }
        if (wasm.length > 0) failures.push(`${route}: a visitor's board downloads ${wasm}`);
      } else {
        await page.waitForLoadState('networkidle');
        if (wasm.length > 0) failures.push(`${route}: no island, yet it downloads ${wasm}`);
      }
      await expectAccessible(page, `${route} as ${role}`);
    }
    // The boards (and the proposal form, for those who may submit) are islands
    // for the signed in; a visitor's boards follow the stream without them.
    if (who) expect(hydrated, `pages with islands hydrated as ${role}`).toBeGreaterThan(0);
    else expect(following, 'live boards followed by a visitor').toBeGreaterThan(0);
    for (const route of plain) {
      current = route;
      await page.goto(server.url + route);
      await expectAccessible(page, `${route} as ${role}`);
    }
    expect(failures, `direct loads as ${role}`).toEqual([]);
  });
}
