// Feasibility routing: the facilitator routes three proposals in bulk, the agency
// member answers one from the queue, and the resident sees the answer and the
// notification. With and without JavaScript; every page passes axe-core.
const { test, expect, expectAccessible, ready, label, logIn, logOut } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const slug = demo.processes[0].slug;
const agency = 'Restauración Ecológica';
const routed = [
  'Comunidad de reutilización de datos abiertos',
  'Lenguaje claro en los trámites',
  'Consejo de niñas, niños y adolescentes',
];
const answered = 'Lenguaje claro en los trámites';

function inDays(n) {
  return new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('route in bulk, answer, and the resident sees the answer', async ({ page, server }) => {
      // The facilitator opens the routing page from the process page.
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + '/processes/' + slug);
      await ready(page, js);
      await page.getByRole('link', { name: t['feasibility.routing_link'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(demo.processes[0].title);
      await ready(page, js);
      await expectAccessible(page, 'routing page');
      const load = page.locator('table').first().getByRole('row', { name: new RegExp(agency) });
      await expect(load.getByRole('cell').first()).toHaveText('0');

      for (const title of routed) {
        await page.getByLabel(`${t['feasibility.select']}: ${title}`).check();
      }
      await page.getByRole('group', { name: t['feasibility.agencies'] }).getByLabel(agency).check();
      await page.getByLabel(label(t['feasibility.due_on'])).fill(inDays(10));
      await page.getByLabel(label(t['feasibility.note'])).fill('Revisar antes de las mesas.');
      await page.getByRole('button', { name: t['feasibility.assign'], exact: true }).click();
      await expect(page.getByText(t['feasibility.assigned'])).toBeVisible();
      await expect(load.getByRole('cell').first()).toHaveText('3');

      // The agency's page lists the demo meeting.
      await load.getByRole('link', { name: agency }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(agency);
      await expect(page.getByText('Se revisó la propuesta de mapa abierto')).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'agency page');
      await logOut(page);

      // The agency member answers one proposal from the queue.
      await logIn(page, server, account('area'), js);
      await page.getByRole('link', { name: t['nav.queue'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['queue.title']);
      for (const title of routed) await expect(page.getByRole('link', { name: title })).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'agency queue');
      await page.getByRole('link', { name: answered }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(answered);
      await ready(page, js);
      await expectAccessible(page, 'review page');
      // Without a public answer the verdict is refused, with the reason.
      await page.getByLabel(label(t['feasibility.verdict'])).selectOption('feasible');
      await page.getByLabel(label(t['feasibility.willing'])).selectOption('yes');
      await page.getByLabel(label(t['feasibility.public_answer'])).fill('   ');
      await page.getByRole('button', { name: t['feasibility.save_answer'] }).click();
      await expect(page.getByText(t['validation.required'])).toBeVisible();
      await ready(page, js);
      await page.getByLabel(label(t['feasibility.verdict'])).selectOption('feasible');
      await page.getByLabel(label(t['feasibility.willing'])).selectOption('yes');
      await page.getByLabel(label(t['feasibility.public_answer'])).fill('Podemos sumar lenguaje claro a los trámites de arbolado.');
      await page.getByRole('button', { name: t['feasibility.save_answer'] }).click();
      await expect(page.getByText(t['feasibility.answer_saved'])).toBeVisible();
      await expect(page.locator('dd', { hasText: 'Podemos sumar lenguaje claro' })).toBeVisible();
      await logOut(page);

      // The resident has a notification that leads to the answer.
      await logIn(page, server, account('vecina'), js);
      await page.getByRole('link', { name: /^Notificaciones/ }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['notifications.title']);
      await ready(page, js);
      await expectAccessible(page, 'notifications');
      await page.getByRole('link', { name: `${agency} respondió tu propuesta «${answered}»` }).click();
      const answers = page.locator('section.answers');
      await expect(answers.getByText('Podemos sumar lenguaje claro a los trámites de arbolado.')).toBeVisible();
      await expect(answers.getByRole('heading', { name: agency })).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'proposal with answers');
    });

    test('an answer saved meanwhile is not overwritten by a stale form', async ({ browser, page, server }) => {
      const title = demo.proposals[0].title;
      const review = async (p) => {
        await p.goto(server.url + '/processes/' + slug + '/proposals');
        await p.getByRole('link', { name: title }).click();
        await p.getByRole('link', { name: t['feasibility.review_link'] }).click();
        await expect(p.getByRole('heading', { level: 1 })).toContainText(title);
        await ready(p, js);
      };
      // Two people of the agency open the same answer.
      await logIn(page, server, account('area'), js);
      await review(page);
      const other = await browser.newContext({ javaScriptEnabled: js });
      const page2 = await other.newPage();
      await logIn(page2, server, account('area'), js);
      await review(page2);
      await page2.getByLabel(label(t['feasibility.public_answer'])).fill('Respuesta guardada por otra persona.');
      await page2.getByRole('button', { name: t['feasibility.save_answer'] }).click();
      await expect(page2.locator('dd', { hasText: 'Respuesta guardada por otra persona.' })).toBeVisible();
      await other.close();

      // The first one saves late: told, shown the current answer, own text kept.
      const answer = page.getByLabel(label(t['feasibility.public_answer']));
      await answer.fill('Mi texto escrito antes.');
      await page.getByRole('button', { name: t['feasibility.save_answer'] }).click();
      await expect(page.getByText(t['feasibility.stale'])).toBeVisible();
      await expect(page.locator('dd', { hasText: 'Respuesta guardada por otra persona.' })).toBeVisible();
      await expect(page.getByLabel(label(t['feasibility.public_answer']))).toHaveValue('Mi texto escrito antes.');
      await ready(page, js);
      await expectAccessible(page, 'review page after a stale save');
      // Saving again, knowingly, replaces the answer.
      await page.getByRole('button', { name: t['feasibility.save_answer'] }).click();
      await expect(page.locator('dd', { hasText: 'Mi texto escrito antes.' })).toBeVisible();
    });
  });
}
