// Sign-up → login → home with the demo process, in Spanish and English, with and
// without JavaScript; the language switcher; a facilitator creating a process.
// axe-core runs on every page visited.
const { test, expect, expectAccessible, ready, label } = require('../support');
const catalogs = {
  'es-AR': require('../../../app/locales/es-AR.json'),
  en: require('../../../app/locales/en.json'),
};
const demo = require('../../../seeds/demo.json');
const demoProcess = demo.processes[0];

for (const lang of ['es-AR', 'en']) {
  for (const js of [true, false]) {
    test.describe(`${lang}, JavaScript ${js ? 'on' : 'off'}`, () => {
      test.use({ locale: lang, javaScriptEnabled: js });

      test('sign up, log out, log in and see the demo process', async ({ page, server }) => {
        const t = catalogs[lang];
        await page.goto(server.url + '/');
        await ready(page, js);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['home.title']);
        await expect(page.getByRole('link', { name: demoProcess.title })).toBeVisible();
        await expectAccessible(page, 'home');

        await page.getByRole('link', { name: t['nav.signup'] }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['signup.title']);
        await expectAccessible(page, 'signup');

        // First attempt: the confirmation does not match.
        await page.getByLabel(label(t['field.display_name'])).fill('Vecina <b>Prueba</b>');
        await page.getByLabel(label(t['field.email'])).fill('vecina.prueba@example.org');
        await page.getByLabel(label(t['field.password'])).fill('una clave larga 123');
        await page.getByLabel(label(t['field.password_confirm'])).fill('otra clave distinta');
        await page.getByRole('checkbox').check();
        await page.getByRole('button', { name: t['signup.submit'] }).click();
        await expect(page.getByText(t['validation.password_mismatch'])).toBeVisible();
        await expect(page.getByRole('alert')).toHaveText(t['error.invalid']);
        // What was typed is kept (passwords excepted), with or without JavaScript.
        await expect(page.getByLabel(label(t['field.display_name']))).toHaveValue('Vecina <b>Prueba</b>');
        await expect(page.getByLabel(label(t['field.email']))).toHaveValue('vecina.prueba@example.org');
        await expectAccessible(page, 'signup with errors');

        await page.getByLabel(label(t['field.password'])).fill('una clave larga 123');
        await page.getByLabel(label(t['field.password_confirm'])).fill('una clave larga 123');
        await page.getByRole('checkbox').check();
        await page.getByRole('button', { name: t['signup.submit'] }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['home.title']);
        // The name is shown as text, never as markup.
        await expect(page.locator('.nav-user')).toHaveText('Vecina <b>Prueba</b>');

        await page.getByRole('button', { name: t['nav.logout'] }).click();
        await expect(page.getByRole('link', { name: t['nav.login'] })).toBeVisible();

        await page.getByRole('link', { name: t['nav.login'] }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['login.title']);
        await expectAccessible(page, 'login');
        await page.getByLabel(label(t['field.email'])).fill('vecina.prueba@example.org');
        await page.getByLabel(label(t['field.password'])).fill('no es la clave');
        await page.getByRole('button', { name: t['login.submit'] }).click();
        await expect(page.getByRole('alert')).toHaveText(t['auth.login_failed']);
        await expectAccessible(page, 'login with error');
        await page.getByLabel(label(t['field.password'])).fill('una clave larga 123');
        await page.getByRole('button', { name: t['login.submit'] }).click();
        await expect(page.locator('.nav-user')).toHaveText('Vecina <b>Prueba</b>');
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['home.title']);

        await page.getByRole('link', { name: demoProcess.title }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(demoProcess.title);
        await expect(page.getByText(t['stage.intake']).first()).toBeVisible();
        await expectAccessible(page, 'process');

      });
    });
  }
}

test('the language switcher changes the language and stays on the page', async ({ page, server }) => {
  await page.goto(server.url + '/privacy');
  await ready(page, true);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(catalogs['es-AR']['privacy.title']);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(catalogs.en['privacy.title']);
  await expect(page).toHaveURL(/\/privacy$/);
  await expectAccessible(page, 'privacy in English');
});

for (const js of [true, false]) {
  test.describe(`facilitator, JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('creates a process after fixing a date error', async ({ page, server }) => {
      const t = catalogs['es-AR'];
      const facilitator = demo.accounts.find((a) => a.role === 'facilitator');
      await page.goto(server.url + '/login');
      await ready(page, js);
      await page.getByLabel(label(t['field.email'])).fill(facilitator.email);
      await page.getByLabel(label(t['field.password'])).fill(facilitator.password);
      await page.getByRole('button', { name: t['login.submit'] }).click();
      await page.getByRole('link', { name: t['nav.new_process'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['process.new']);
      await expectAccessible(page, 'new process');

      await page.getByLabel(label(t['field.title'])).fill('Plan de Acción 2025-2027');
      await page.getByLabel(label(t['field.description'])).fill('Cuarto plan de acción.');
      await page.getByLabel(label(t['field.axes'])).fill('Datos abiertos\nParticipación');
      const stages = ['intake', 'feasibility', 'roundtables', 'drafting', 'comment', 'monitoring'];
      for (const [i, stage] of stages.entries()) {
        const group = page.getByRole('group', { name: t[`stage.${stage}`] });
        const month = String(i + 3).padStart(2, '0');
        await group.getByLabel(label(t['field.starts_on'])).fill(`2031-${month}-01`);
        // The intake stage ends before it starts: the server refuses it.
        await group.getByLabel(label(t['field.ends_on'])).fill(stage === 'intake' ? '2031-02-01' : `2031-${month}-28`);
      }
      await page.getByRole('button', { name: t['action.create'] }).click();
      await expect(page.getByText(t['validation.end_before_start'])).toBeVisible();
      await expect(page.getByLabel(label(t['field.title']))).toHaveValue('Plan de Acción 2025-2027');
      await expectAccessible(page, 'new process with errors');

      const intake = page.getByRole('group', { name: t['stage.intake'] });
      await intake.getByLabel(label(t['field.ends_on'])).fill('2031-03-28');
      await page.getByRole('button', { name: t['action.create'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plan de Acción 2025-2027');
      await expect(page).toHaveURL(/\/processes\/plan-de-accion-2025-2027$/);
      await expect(page.locator('.chips').getByText('Participación')).toBeVisible();
      await expectAccessible(page, 'created process');
    });
  });
}
