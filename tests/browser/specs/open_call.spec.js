// The open call: a resident joins the contact base from the footer and
// confirms from the mail; the team announces the process and follows the
// sending; the resident leaves the base with one click from the
// announcement's mail. With and without JavaScript; axe on every page visited.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const fs = require('node:fs');
const path = require('node:path');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const plan = demo.processes[0];
const fill = (key, values) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{${k}}`, v), t[key]);

/** The first address matching `pattern` in a mail the server wrote to `to` that mentions `about`. */
async function linkSentTo(server, to, pattern, about = '') {
  const dir = path.join(server.dir, 'mail');
  for (let i = 0; i < 100; i++) {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(to) || !text.includes(about)) continue;
      const m = text.match(pattern);
      if (m) return new URL(m[0], server.url).pathname + new URL(m[0], server.url).search;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} with ${pattern}`);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('a participant unsubscribes with one click', async ({ browser, page, server }) => {
      const email = `vecina-${js ? 'con' : 'sin'}-js@example.org`;
      await page.goto(server.url + '/');
      await ready(page, js);
      await page.getByRole('link', { name: t['calls.footer_link'] }).click();
      await ready(page, js);
      await expectAccessible(page, 'join the contact base');
      await page.getByLabel(label(t['field.email'])).fill(email);
      await page.getByRole('button', { name: t['calls.join'] }).press('Enter');
      await expect(page.getByText(t['calls.check_mail'])).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'asked to join');
      await page.goto(server.url + await linkSentTo(server, email, /http:\/\/[^\s]+\/calls\/confirm\?token=[A-Za-z0-9_-]+/));
      await ready(page, js);
      await expectAccessible(page, 'confirm the address');
      await page.getByRole('button', { name: t['calls.confirm'] }).click();
      await expect(page.getByText(t['calls.confirmed'])).toBeVisible();
      await ready(page, js);

      // The team announces the plan to the base and follows the sending.
      const team = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      team.__javaScript = js;
      await logIn(team, server, account('facilitadora'), js);
      await team.goto(server.url + `/processes/${plan.slug}`);
      await ready(team, js);
      await team.getByRole('link', { name: t['announcements.link'] }).click();
      await ready(team, js);
      await expectAccessible(team, 'announcements');
      const subject = `Nueva convocatoria ${js ? 'uno' : 'dos'}`;
      await team.getByLabel(label(t['announcements.subject'])).fill(subject);
      await team.getByLabel(t['announcements.occasion']).selectOption({ label: fill('announcements.occasion_stage', { stage: t['stage.roundtables'] }) });
      await team.getByRole('button', { name: t['announcements.send'] }).click();
      await expect(team.getByRole('status')).toContainText(t['announcements.queued'].split('{')[0].trim());
      await ready(team, js);
      const sending = team.getByRole('table', { name: t['announcements.sent_list'] }).getByRole('row', { name: new RegExp(subject) });
      await expect(sending).toHaveCount(1);
      await expectAccessible(team, 'announced');

      // One click from the announcement's mail takes her out of the base.
      await page.goto(server.url + await linkSentTo(server, email, /http:\/\/[^\s>]+\/unsubscribe\/calls\/[A-Za-z0-9_-]+/, subject));
      await expectAccessible(page, 'unsubscribe');
      await page.getByRole('button', { name: t['unsubscribe.confirm'] }).click();
      await expect(page.getByRole('status')).toHaveText(t['unsubscribe.calls_done']);
      await expectAccessible(page, 'unsubscribed');
      await team.goto(server.url + `/processes/${plan.slug}/announcements`);
      await ready(team, js);
      await expect(team.getByRole('row', { name: new RegExp(`${subject}.*${t['announcements.finished']}`) })).toHaveCount(1);
    });
  });
}
