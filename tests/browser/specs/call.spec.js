// The personalized call: a representative follows the notification to the
// survey and answers it for the organization (a blank required answer refused
// first); the team reads the answers; the team invites organizations by axis
// and sees each invitation's state, and the invited open their personal link.
// With and without JavaScript; axe on every page visited.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const fs = require('node:fs');
const path = require('node:path');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const plan = demo.processes[0];
const survey = demo.call.survey;
const fill = (key, values) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{${k}}`, v), t[key]);

/** The personal link in the mail the server wrote for `to`. */
async function invitationSentTo(server, to) {
  const dir = path.join(server.dir, 'mail');
  for (let i = 0; i < 50; i++) {
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(to)) continue;
      const m = text.match(/\/invitations\/open\?token=([A-Za-z0-9_-]+)/);
      if (m) return '/invitations/open?token=' + m[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation mail to ${to}`);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('an organization answers the survey and the team reads it', async ({ browser, page, server }) => {
      await logIn(page, server, account('osc'), js);
      await page.getByRole('link', { name: /^Notificaciones/ }).click();
      await ready(page, js);
      await page.getByRole('link', { name: fill('notification.survey_sent', { title: plan.title }) }).click();
      await ready(page, js);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(fill('survey.title', { process: plan.title }));
      const form = page.locator('section', { has: page.getByRole('heading', { name: fill('survey.answer_for', { organization: 'Democracia en Red' }) }) });
      // What the organization answered is there to change.
      const who = form.getByLabel(label(survey.questions[0].prompt));
      await expect(who).toHaveValue(survey.answers[0].values[0][0]);
      await expectAccessible(page, 'survey form');
      await who.fill(' ');
      await form.getByRole('button', { name: t['survey.send_answers'] }).click();
      await expect(form.getByText(t['validation.required'])).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'refused answer');
      await form.getByLabel(label(survey.questions[0].prompt)).fill('Secretaría de la organización');
      await form.getByLabel('Más de 50').check();
      await form.getByLabel('Datos abiertos').check();
      await form.getByLabel(survey.questions[4].prompt).fill('Sumamos una experiencia de datos abiertos.');
      await form.getByRole('button', { name: t['survey.send_answers'] }).press('Enter');
      await expect(page.getByText(t['survey.thanks'])).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'answered');

      const team = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      team.__javaScript = js;
      await logIn(team, server, account('facilitadora'), js);
      await team.goto(server.url + `/processes/${plan.slug}`);
      await ready(team, js);
      await team.getByRole('link', { name: t['survey.link'] }).click();
      await ready(team, js);
      await expect(team.getByText(fill('survey.answered_count', { answered: 2, sent: 5 }))).toBeVisible();
      await expectAccessible(team, 'survey desk');
      await team.getByRole('link', { name: t['survey.read_answers'] }).click();
      await ready(team, js);
      const answer = team.locator('article', { hasText: 'Democracia en Red' });
      await expect(answer).toContainText('Secretaría de la organización');
      await expect(answer).toContainText('Más de 50');
      await expect(answer).toContainText('Datos abiertos');
      await expectAccessible(team, 'survey answers');
    });

    test('the team invites by axis and follows each invitation', async ({ browser, page, server }) => {
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + `/processes/${plan.slug}`);
      await ready(page, js);
      await page.getByRole('link', { name: t['invitations.link'] }).click();
      await ready(page, js);
      // The demo's invitations, each in its state.
      const table = page.getByRole('table', { name: t['invitations.followed'] });
      for (const state of ['registered', 'opened']) {
        await expect(table.getByRole('cell', { name: t[`invitations.state.${state}`] })).toHaveCount(1);
      }
      await expectAccessible(page, 'invitations');
      // By interest: the organizations working on open data.
      await page.getByLabel(t['directory.interest']).selectOption({ label: 'Datos abiertos' });
      await page.getByRole('button', { name: t['action.search'] }).click();
      await ready(page, js);
      const choices = page.getByRole('group', { name: t['invitations.choose'] }).getByRole('checkbox');
      const working = demo.directory.filter((e) => e.status === 'approved' && e.interests.includes('Datos abiertos'));
      await expect(choices).toHaveCount(working.length);
      const roundtable = demo.roundtables[0].title;
      const already = demo.call.invitations.filter((i) => i.roundtable === roundtable).map((i) => i.organization);
      const fresh = working.filter((e) => !already.includes(e.organization));
      await page.getByLabel(t['invitations.target']).selectOption({ label: fill('invitations.to_roundtable', { title: roundtable }) });
      await page.getByRole('button', { name: t['invitations.send'] }).click();
      await expect(page.getByText(fill('invitations.sent', { count: fresh.length }))).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'invited');
      const invited = fresh[0];
      await expect(table.getByRole('row', { name: new RegExp(`${invited.organization}.*${roundtable}`) })).toHaveCount(1);

      // The organization's contact opens its personal link: the team sees it opened.
      const visitor = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      visitor.__javaScript = js;
      await visitor.goto(server.url + await invitationSentTo(server, invited.contact_email));
      await ready(visitor, js);
      await expect(visitor.getByText(new RegExp(`${invited.organization}.*${roundtable}`))).toBeVisible();
      await expectAccessible(visitor, 'invitation');
      await page.reload();
      await ready(page, js);
      await expect(table.getByRole('row', { name: new RegExp(`${invited.organization}.*${roundtable}.*${t['invitations.state.opened']}`) })).toHaveCount(1);
    });
  });
}
