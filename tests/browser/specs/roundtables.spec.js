// The facilitator schedules a roundtable with proposals an agency found feasible;
// a resident registers, gets the link, and cancels. With and without JavaScript;
// every page passes axe-core.
const { test, expect, expectAccessible, ready, label, logIn, logOut } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const slug = demo.processes[0].slug;

function inDays(n) {
  return new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('schedule a roundtable, register and cancel', async ({ page, server }) => {
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + '/processes/' + slug);
      await page.getByRole('link', { name: t['roundtables.link'] }).click();
      await expect(page.getByRole('link', { name: demo.roundtables[0].title })).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'roundtable list');
      await page.getByRole('link', { name: t['roundtable.new'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['roundtable.new']);
      await ready(page, js);
      await expectAccessible(page, 'scheduling form');
      await page.getByLabel(label(t['field.title'])).fill('Mesa de datos abiertos del arbolado');
      await page.getByLabel(label(t['roundtable.date'])).fill(inDays(12));
      await page.getByLabel(label(t['roundtable.time'])).fill('18:30');
      await page.getByLabel(label(t['roundtable.video_url'])).fill('https://meet.example.org/arbolado');
      await page.getByRole('group', { name: t['roundtable.agencies'] }).getByLabel('Restauración Ecológica').check();
      await page.getByRole('group', { name: t['roundtable.proposals'] })
        .getByLabel('Mapa abierto del arbolado urbano (Restauración Ecológica)').check();
      await page.getByRole('button', { name: t['action.create'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mesa de datos abiertos del arbolado');
      await expect(page.getByText('18:30 (UTC−03:00)')).toBeVisible();
      const url = page.url();
      await logOut(page);

      // A resident registers and gets the link; then cancels.
      await logIn(page, server, account('vecina'), js);
      await page.goto(url);
      await ready(page, js);
      await expect(page.getByText('https://meet.example.org/arbolado')).toHaveCount(0);
      await page.getByRole('button', { name: t['roundtable.register'] }).click();
      await expect(page.getByText(t['roundtable.you_are_registered'])).toBeVisible();
      await expect(page.getByRole('link', { name: 'https://meet.example.org/arbolado' })).toBeVisible();
      await expect(page.getByRole('link', { name: t['roundtable.calendar'] })).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'roundtable page, registered');
      await page.getByRole('button', { name: t['roundtable.cancel'] }).click();
      await expect(page.getByRole('button', { name: t['roundtable.register'] })).toBeVisible();
      await expect(page.getByText('https://meet.example.org/arbolado')).toHaveCount(0);
    });
  });
}
