// Administration pages and the remaining account pages, by keyboard where it
// matters, with axe-core on every page visited.
const { test, expect, expectAccessible, ready, label, logIn: logInWith } = require('../support');
// Signing in by keyboard: Enter in the password field.
const logIn = (page, server, who, js) => logInWith(page, server, who, js, { keyboard: true });
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (role) => demo.accounts.find((a) => a.role === role);

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('an administrator gives a resident a role, an agency and an organization', async ({ page, server }) => {
      await logIn(page, server, account('admin'), js);
      await page.getByRole('link', { name: t['nav.admin'], exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: t['admin.users'] })).toBeVisible();
      await expectAccessible(page, 'admin users');

      const resident = demo.accounts.find((a) => a.email.startsWith('vecina'));
      const row = () => page.getByRole('row').filter({ hasText: resident.email });
      await row().getByLabel(t['field.role']).selectOption('facilitator');
      await row().getByRole('button', { name: t['action.save'] }).click();
      await expect(row().getByLabel(t['field.role'])).toHaveValue('facilitator');
      await row().getByLabel(t['admin.add_agency']).selectOption({ label: 'Restauración Ecológica' });
      await row().getByRole('button', { name: t['action.add'] }).first().click();
      await expect(row().getByText('Restauración Ecológica')).toBeVisible();
      await expectAccessible(page, 'admin users after changes');

      await page.getByRole('link', { name: t['admin.organizations'], exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: t['admin.new_organization'] })).toBeVisible();
      const create = page.locator('form').filter({ has: page.getByRole('button', { name: t['action.create'] }) });
      await create.getByLabel(label(t['field.name'])).fill('ACIJ');
      await create.getByLabel(t['field.sector']).selectOption('civil_society');
      await create.getByRole('button', { name: t['action.create'] }).click();
      await expect(page.getByText(t['validation.name_taken'])).toBeVisible();
      await expectAccessible(page, 'organizations with error');
      await create.getByLabel(label(t['field.name'])).fill('Poder Ciudadano');
      await create.getByRole('button', { name: t['action.create'] }).click();
      await expect(page.locator('input[value="Poder Ciudadano"]')).toHaveCount(1);

      await page.getByRole('link', { name: t['admin.agencies'] }).click();
      await expect(page.getByRole('heading', { level: 2, name: t['admin.new_agency'] })).toBeVisible();
      await expectAccessible(page, 'agencies');

      await page.getByRole('link', { name: t['audit.title'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['audit.title']);
      await expect(page.getByRole('cell', { name: 'group.save' }).first()).toBeVisible();
      await expectAccessible(page, 'audit log');
    });
  });
}

test('people who are not administrators are kept out', async ({ page, server }) => {
  await page.goto(server.url + '/admin/users');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['error.unauthenticated']);
  await expectAccessible(page, 'admin while signed out');
  await logIn(page, server, account('participant'), true);
  await page.goto(server.url + '/admin/users');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['error.forbidden']);
  await page.goto(server.url + '/processes/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['error.forbidden']);
});

test('password reset pages, a bad link and a missing page', async ({ page, server }) => {
  await page.goto(server.url + '/forgot-password');
  await ready(page, true);
  await expectAccessible(page, 'forgot password');
  await page.getByLabel(label(t['field.email'])).fill('vecina@demo.cocrea.ar');
  await page.getByRole('button', { name: t['forgot.submit'] }).click();
  await expect(page.getByRole('status')).toHaveText(t['forgot.sent']);

  await page.goto(server.url + '/reset-password?token=not-a-real-token');
  await ready(page, true);
  await page.getByLabel(label(t['field.new_password'])).fill('una clave nueva larga');
  await page.getByLabel(label(t['field.password_confirm'])).fill('una clave nueva larga');
  await page.getByRole('button', { name: t['reset.submit'] }).click();
  await expect(page.getByRole('alert')).toHaveText(t['auth.reset_unknown']);
  await expectAccessible(page, 'reset with a bad token');

  const res = await page.goto(server.url + '/no-such-page');
  expect(res.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['error.not_found']);
  await expectAccessible(page, 'not found');
});
