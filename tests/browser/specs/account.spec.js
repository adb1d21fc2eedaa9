// "Mi cuenta": a person changes their details, chooses which notices come by
// email, downloads their data and deletes their account, with and without
// JavaScript, by keyboard-reachable forms, axe-clean at every step.
const { test, expect, expectAccessible, ready, label } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const fs = require('node:fs');

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('my account: details, email notices, my data, deletion', async ({ page, server }) => {
      const email = `cuenta-${js ? 'js' : 'nojs'}@example.org`;
      await page.goto(server.url + '/signup');
      await ready(page, js);
      await page.getByLabel(label(t['field.display_name'])).fill('Paula');
      await page.getByLabel(label(t['field.email'])).fill(email);
      await page.getByLabel(label(t['field.password']), { exact: false }).first().fill('a-long-password');
      await page.getByLabel(label(t['field.password_confirm'])).fill('a-long-password');
      await page.getByLabel(label(t['signup.accept_privacy'])).check();
      await page.getByRole('button', { name: t['signup.submit'] }).click();
      await expect(page.locator('.nav-user')).toHaveText('Paula');

      // Reached from the menu, and loaded directly.
      await page.locator('.nav-user a').click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['account.title']);
      await page.goto(server.url + '/account');
      await ready(page, js);
      await expect(page.getByText(t['account.unconfirmed'])).toBeVisible();
      await expectAccessible(page, 'account page');

      await page.getByLabel(label(t['field.display_name'])).fill('Paula G.');
      await page.getByLabel(t['account.show_name_on_boards']).check();
      await page.getByRole('button', { name: t['action.save'] }).first().click();
      await expect(page.getByRole('status')).toHaveText(t['account.saved.profile']);
      await expect(page.locator('.nav-user')).toHaveText('Paula G.');
      await ready(page, js);

      // A wrong current password is refused at its form; nothing changes.
      await page.locator('#pw-f-current_password').fill('not my password');
      await page.locator('#pw-f-password').fill('a new long password');
      await page.locator('#pw-f-password_confirm').fill('a new long password');
      await page.getByRole('button', { name: t['account.change_password'] }).click();
      await expect(page.getByText(t['account.password_wrong'])).toBeVisible();
      await expectAccessible(page, 'account page with an error');
      await ready(page, js);

      await page.getByLabel(t['unsubscribe.kind.comment_period_opened']).uncheck();
      await page.getByRole('button', { name: t['action.save'] }).nth(1).click();
      await expect(page.getByRole('status')).toHaveText(t['account.saved.email_kinds']);
      await expect(page.getByLabel(t['unsubscribe.kind.comment_period_opened'])).not.toBeChecked();
      await expect(page.getByLabel(t['unsubscribe.kind.answer_published'])).toBeChecked();
      await ready(page, js);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t['account.download'] }).click(),
      ]);
      const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
      expect(data.account.account.email).toBe(email);
      expect(data.account.account.display_name).toBe('Paula G.');
      expect(JSON.stringify(data)).not.toContain('argon2');

      await page.locator('#del-f-current_password').fill('a-long-password');
      await page.getByLabel(t['account.delete_confirm']).check();
      await page.getByRole('button', { name: t['account.delete_submit'] }).click();
      await expect(page.getByRole('status')).toHaveText(t['account.deleted']);
      await expect(page.getByRole('link', { name: t['nav.login'] })).toBeVisible();
      await expectAccessible(page, 'home after deleting the account');
      // The account is gone: its password no longer signs in.
      await page.goto(server.url + '/login');
      await ready(page, js);
      await page.getByLabel(label(t['field.email'])).fill(email);
      await page.getByLabel(label(t['field.password'])).fill('a-long-password');
      await page.getByRole('button', { name: t['login.submit'] }).click();
      await expect(page.getByText(t['auth.login_failed'])).toBeVisible();
    });
  });
}

test('confirming an address from its link, by keyboard', async ({ page, server }) => {
  await page.goto(server.url + '/confirm-email?token=not-a-real-token');
  await ready(page, true);
  await expectAccessible(page, 'confirm email page');
  await page.keyboard.press('Tab');
  await page.getByRole('button', { name: t['confirm.submit'] }).focus();
  await page.keyboard.press('Enter');
  // The link works only for the account it was sent for, signed in.
  await expect(page.getByText(t['error.unauthenticated'])).toBeVisible();
  await expectAccessible(page, 'confirm email page with an error');
});
