// The stakeholder directory: the demo's organizations by sector and interest;
// a representative registers an organization (a refused web address first), the
// team approves it and turns another down with a reason. With and without
// JavaScript; axe on every page visited. No contact email reaches the public.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const fs = require('node:fs');
const path = require('node:path');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));

/** The personal link in the mail the server wrote for `to` (quoted-printable undone). */
async function linkSentTo(server, to) {
  const dir = path.join(server.dir, 'mail');
  for (let i = 0; i < 50; i++) {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(to)) continue;
      const m = text.match(/\/organizations\/join\?token=([A-Za-z0-9_-]+)/);
      if (m) return '/organizations/join?token=' + m[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation mail to ${to}`);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('an organization registers and the team decides', async ({ browser, page, server }) => {
      const name = js ? 'Asociación Vecinal Parque Patricios' : 'Red de Bibliotecas Populares';
      const approved = demo.directory.filter((e) => e.status === 'approved');
      await page.goto(server.url + '/');
      await ready(page, js);
      await page.getByRole('link', { name: t['footer.directory'] }).click();
      await ready(page, js);
      for (const e of approved) {
        await expect(page.locator('.directory .card', { hasText: e.organization })).toContainText(e.territory);
      }
      const waiting = demo.directory.find((e) => e.status === 'pending');
      await expect(page.locator('.directory .card', { hasText: waiting.organization })).toHaveCount(0);
      await expectAccessible(page, 'directory');
      // By interest: only those working on the axis.
      await page.getByLabel(t['directory.interest']).selectOption({ label: `Ambiente y espacio público (${demo.processes[0].title})` });
      await page.getByRole('button', { name: t['action.search'] }).click();
      await ready(page, js);
      await expect(page.locator('.directory .card')).toHaveCount(
        approved.filter((e) => e.interests.includes('Ambiente y espacio público')).length);

      await logIn(page, server, account('vecina'), js);
      await page.goto(server.url + '/organizations/register');
      await ready(page, js);
      await page.getByLabel(label(t['directory.name'])).fill(name);
      await page.getByLabel(t['field.sector']).selectOption('civil_society');
      await page.getByLabel(t['directory.territory']).fill('Comuna 4');
      await page.getByLabel(t['directory.website']).fill('https://bibliotecas.example.org');
      await page.getByLabel(label(t['directory.contact_email'])).fill('contacto@bibliotecas.example');
      await page.getByLabel(`Datos abiertos (${demo.processes[0].title})`).check();
      await page.getByRole('button', { name: t['directory.send'] }).press('Enter');
      await expect(page.getByText(t['directory.registered'])).toBeVisible();
      await expect(page.getByText(`${name}: ${t['directory.status.pending']}`)).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'registered');
      // A made-up web address is refused in Spanish, and nothing is kept.
      await page.getByLabel(label(t['directory.name'])).fill('Otra organización');
      await page.getByLabel(t['field.sector']).selectOption('academia');
      await page.getByLabel(t['directory.website']).fill('javascript:alert(1)');
      await page.getByLabel(label(t['directory.contact_email'])).fill('otra@ejemplo.example');
      await page.getByRole('button', { name: t['directory.send'] }).click();
      await expect(page.getByText(t['validation.web_address'])).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'refused registration');
      await expect(page.getByText('Otra organización: ')).toHaveCount(0);

      const team = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      team.__javaScript = js;
      await logIn(team, server, account('facilitadora'), js);
      await team.goto(server.url + '/organizations');
      await ready(team, js);
      await team.getByRole('link', { name: t['directory.review'] }).click();
      await ready(team, js);
      await expect(team.locator('.card', { hasText: name })).toContainText('contacto@bibliotecas.example');
      await expectAccessible(team, 'review');
      await team.getByRole('button', { name: t['directory.approve'].replace('{name}', name) }).click();
      await expect(team.getByText(t['directory.approved'])).toBeVisible();
      await ready(team, js);
      // The demo's waiting registration is turned down with a reason.
      await team.getByText(t['directory.reject'].replace('{name}', waiting.organization)).click();
      await team.locator('.card', { hasText: waiting.organization }).getByLabel(label(t['directory.reason'])).fill('Falta el sitio de la organización');
      await team.getByRole('button', { name: t['directory.reject_send'] }).click();
      await expect(team.getByText(t['directory.rejected'])).toBeVisible();
      await ready(team, js);
      await expectAccessible(team, 'reviewed');

      await page.goto(server.url + '/organizations');
      await ready(page, js);
      await expect(page.locator('.directory .card', { hasText: name })).toContainText('Comuna 4');
      await expect(page.locator('.directory .card', { hasText: waiting.organization })).toHaveCount(0);
      await team.context().close();
    });

    test('a person asks to join, the representative accepts and invites someone else', async ({ browser, page, server }) => {
      const rep = account('osc');
      const organization = rep.organizations[0];
      const vecina = account('vecina');
      await logIn(page, server, vecina, js);
      await page.goto(server.url + '/organizations');
      await ready(page, js);
      await page.getByRole('button', { name: t['directory.join'].replace('{name}', organization) }).click();
      await expect(page.getByText(t['directory.join_requested'])).toBeVisible();
      await expect(page.locator('.directory .card', { hasText: organization })).toContainText(t['directory.join_waiting']);
      await ready(page, js);
      await expectAccessible(page, 'asked to join');

      const osc = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      osc.__javaScript = js;
      await logIn(osc, server, rep, js);
      await osc.goto(server.url + '/organizations');
      await ready(osc, js);
      await osc.getByRole('link', { name: t['directory.mine_link'] }).first().click();
      await ready(osc, js);
      await osc.getByRole('button', { name: t['directory.join_approve'].replace('{name}', vecina.name) }).click();
      await expect(osc.getByText(t['directory.join_approved'])).toBeVisible();
      await ready(osc, js);
      await osc.getByLabel(label(t['directory.invite_email'])).fill('nueva@ejemplo.example');
      await osc.getByRole('button', { name: t['directory.invite'] }).click();
      await expect(osc.getByText(t['directory.invited'])).toBeVisible();
      await expect(osc.getByText('nueva@ejemplo.example')).toBeVisible();
      await ready(osc, js);
      await expectAccessible(osc, 'representative');
      await osc.context().close();

      await page.goto(server.url + '/organizations');
      await ready(page, js);
      await expect(page.locator('.directory .card', { hasText: organization })).toContainText(t['directory.you_are_member']);

      // The personal link: read by anyone, taken up by someone signed in, once.
      const link = await linkSentTo(server, 'nueva@ejemplo.example');
      const invited = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      invited.__javaScript = js;
      await invited.goto(server.url + link);
      await ready(invited, js);
      await expect(invited.getByText(t['directory.invitation_sign_in'])).toBeVisible();
      await expectAccessible(invited, 'invitation, signed out');
      await logIn(invited, server, account('legal'), js);
      await invited.goto(server.url + link);
      await ready(invited, js);
      await invited.getByRole('button', { name: t['directory.join'].replace('{name}', organization) }).click();
      await expect(invited.getByText(t['directory.invitation_accepted'])).toBeVisible();
      await ready(invited, js);
      await expectAccessible(invited, 'invitation taken up');
      await invited.goto(server.url + link);
      await expect(invited.getByText(t['directory.invitation_unknown'])).toBeVisible();
      await invited.context().close();
    });
  });
}
