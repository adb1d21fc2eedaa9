// After the plan, on the demo: the independent monitoring body revises and
// publishes its evaluation of the final commitment, which a resident then reads
// on the tracking panel; the team carries a proposal the first instance did
// not take up into the second one. With and without JavaScript; axe on every
// page visited.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const [plan, next] = demo.processes;
const evaluation = demo.evaluations[0];
const body = demo.monitoring_body[0].body;

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('the monitoring body publishes its evaluation and the panel shows it', async ({ page, server }) => {
      await logIn(page, server, account('evaluacion'), js);
      await page.getByRole('link', { name: t['nav.evaluation'] }).click();
      await ready(page, js);
      const desk = page.getByRole('region', { name: plan.title });
      await expect(desk).toContainText(t['evaluation.state.published']);
      const zip = await page.request.get(server.url + '/processes/' + plan.slug + '/evaluation.zip');
      expect(zip.status()).toBe(200);
      expect(zip.headers()['content-type']).toBe('application/zip');
      await expectAccessible(page, 'evaluator desk');

      await desk.getByRole('link', { name: new RegExp(evaluation.code) }).click();
      await ready(page, js);
      const reasoning = `Revisión de mitad de plan (${js ? 'con' : 'sin'} JavaScript): avance limitado y verificable.`;
      await page.getByLabel(label(t['evaluation.completion'])).selectOption('substantial');
      await page.getByLabel(label(t['evaluation.reasoning'])).fill(reasoning);
      await page.getByRole('button', { name: t['evaluation.publish'] }).click();
      await expect(page.locator('dl.evaluation')).toContainText(reasoning);
      await ready(page, js);
      await expectAccessible(page, 'evaluation published');

      const visit = await page.context().browser().newContext({ javaScriptEnabled: js });
      const resident = await visit.newPage();
      resident.__javaScript = js;
      await resident.goto(server.url + '/processes/' + plan.slug + '/panel');
      await ready(resident, js);
      await expect(resident.locator('.card', { hasText: evaluation.code }))
        .toContainText(t['panel.evaluation'].split('{body}')[0] + body);
      await resident.locator('.card', { hasText: evaluation.code }).getByRole('link').first().click();
      await ready(resident, js);
      await expect(resident.getByRole('region', { name: t['evaluation.title'] })).toContainText(reasoning);
      await expectAccessible(resident, 'monitoring page with the evaluation');
      await visit.close();
    });

    test('the team carries a proposal over to the second instance', async ({ page, server }) => {
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + '/processes/' + next.slug);
      await ready(page, js);
      await page.getByRole('link', { name: t['carryover.title'] }).click();
      await ready(page, js);
      await page.getByLabel(label(t['carryover.from'])).selectOption(plan.slug);
      await page.getByRole('button', { name: t['carryover.show'] }).click();
      await ready(page, js);
      const left = 'Consejo de niñas, niños y adolescentes';
      await page.getByLabel(new RegExp('^' + left)).check();
      await page.getByLabel(label(t['carryover.axis'])).selectOption({ label: 'Niñez, adolescencia y participación' });
      await expectAccessible(page, 'carry-over with candidates');
      await page.getByRole('button', { name: t['carryover.carry'] }).click();
      // With or without JavaScript the page says what was done.
      await expect(page.getByRole('status')).toContainText(t['carryover.done'].replace('{count}', '1'));
      await ready(page, js);
      await expect(page.getByLabel(new RegExp('^' + left))).toHaveCount(0);
      await expectAccessible(page, 'carried');

      await page.goto(server.url + '/processes/' + next.slug + '/proposals');
      await ready(page, js);
      await page.getByRole('link', { name: left }).click();
      await ready(page, js);
      await expect(page.locator('ol.history')).toContainText(t['proposal.event.carried_in']);
    });
  });
}
