// Endorsements of the final plan: the demo's three, and a representative of an
// organization endorsing, then withdrawing. With and without JavaScript; axe on
// every page visited.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const slug = demo.processes[0].slug;

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('an organization endorses the plan and withdraws it', async ({ page, server }) => {
      const rep = account('osc');
      const organization = rep.organizations[0];
      await page.goto(server.url + '/processes/' + slug);
      await ready(page, js);
      await page.getByRole('link', { name: t['endorsement.open'] }).click();
      await ready(page, js);
      for (const e of demo.endorsements) {
        await expect(page.locator('.endorsements .card', { hasText: e.organization })).toContainText(e.person);
      }
      await expectAccessible(page, 'endorsements');

      await logIn(page, server, rep, js);
      await page.goto(server.url + '/processes/' + slug + '/endorsements');
      await ready(page, js);
      await page.getByLabel(label(t['endorsement.role'])).fill('Coordinador de proyectos');
      await page.getByRole('button', { name: t['endorsement.endorse'].replace('{organization}', organization) }).click();
      const card = page.locator('.endorsements .card', { hasText: organization });
      await expect(card).toContainText(`${rep.name}, Coordinador de proyectos`);
      await ready(page, js);
      await expectAccessible(page, 'endorsed');
      await page.getByRole('button', { name: t['endorsement.withdraw'].replace('{organization}', organization) }).click();
      await expect(card).toHaveCount(0);
      await ready(page, js);
      await expectAccessible(page, 'withdrawn');

      // The published plan takes public comments.
      const words = `Sumen un compromiso de vivienda (${js ? 'con' : 'sin'} JavaScript).`;
      await page.getByLabel(label(t['comments.new'])).fill(words);
      await page.getByRole('button', { name: t['comments.publish'] }).click();
      await expect(page.locator('.comments')).toContainText(words);
      await ready(page, js);
      await expectAccessible(page, 'plan commented');
    });
  });
}
