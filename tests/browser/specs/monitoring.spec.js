// Stage 5, monitoring: a member of the lead agency reports progress on a
// milestone with a file as evidence; the team publishes it; a resident on a
// phone-sized screen finds it on the tracking panel by keyboard alone. With and
// without JavaScript; axe on every page visited.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect, expectAccessible, ready, label, logIn, logOut } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const slug = demo.processes[0].slug;
const final = demo.commitments.find((c) => c.final);
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('an agency reports progress with evidence, the team publishes it, a resident finds it on the panel', async ({ page, server, browser }) => {
      const narrative = `Ocho trámites reescritos y probados (${js ? 'con' : 'sin'} JavaScript).`;
      const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-')), 'informe-pruebas.pdf');
      fs.writeFileSync(pdf, '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n');

      // The lead agency's member files the update from the commitment's page.
      await logIn(page, server, account('legal'), js);
      await page.goto(server.url + '/processes/' + slug + '/panel');
      await ready(page, js);
      await page.getByRole('link', { name: new RegExp(final.code) }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(final.code);
      await ready(page, js);
      await expectAccessible(page, 'monitoring page as the lead agency');
      await page.getByLabel(t['monitoring.milestone'], { exact: true }).selectOption({ label: final.sheet.milestones[1].title });
      await page.getByLabel(t['monitoring.progress']).selectOption({ label: t['progress.substantial'] });
      await page.getByLabel(label(t['monitoring.narrative'])).fill(narrative);
      await page.getByLabel(t['monitoring.files_label']).setInputFiles(pdf);
      await page.locator('#file-f-file_title').fill('Informe de pruebas 4 a 8');
      await page.getByRole('button', { name: t['monitoring.send'] }).click();
      await expect(page.getByRole('status').filter({ hasText: t['monitoring.filed'] })).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'update sent');
      // Waiting for the team: not on the public history yet.
      await expect(page.locator('.pending .card', { hasText: narrative })).toContainText(t['monitoring.state.submitted']);
      await logOut(page);

      // The team publishes it.
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + '/processes/' + slug + '/panel');
      await ready(page, js);
      await page.getByRole('link', { name: new RegExp(final.code) }).click();
      await ready(page, js);
      const card = page.locator('.pending .card', { hasText: narrative });
      await card.getByRole('button', { name: t['monitoring.publish'] }).click();
      await expect(page.locator('.milestone .update', { hasText: narrative })).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'update published');
      await logOut(page);

      // A resident on a phone, by keyboard only: the panel, the card, the history.
      const context = await browser.newContext({ ...phone, javaScriptEnabled: js, locale: 'es-AR' });
      const resident = await context.newPage();
      resident.__javaScript = js;
      await resident.goto(server.url + '/processes/' + slug + '/panel');
      await ready(resident, js);
      await expect(resident.getByRole('heading', { level: 1 })).toContainText(demo.processes[0].title);
      await expectAccessible(resident, 'panel on a phone');
      const link = resident.getByRole('link', { name: new RegExp(final.code) });
      for (let i = 0; i < 80; i += 1) {
        await resident.keyboard.press('Tab');
        if (await link.evaluate((el) => el === document.activeElement)) break;
      }
      await expect(link).toBeFocused();
      await resident.keyboard.press('Enter');
      await expect(resident.getByRole('heading', { level: 1 })).toContainText(final.code);
      await ready(resident, js);
      const shown = resident.locator('.milestone .update', { hasText: narrative });
      await expect(shown).toBeVisible();
      await expect(shown.getByRole('link', { name: 'Informe de pruebas 4 a 8' })).toBeVisible();
      await expect(resident.getByText(t['monitoring.file_update'])).toHaveCount(0);
      await expectAccessible(resident, 'monitoring page on a phone');
      const download = await resident.request.get(
        server.url + (await shown.getByRole('link', { name: 'Informe de pruebas 4 a 8' }).getAttribute('href')),
      );
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toBe('application/pdf');
      await context.close();
    });

    test('a file that is not what it claims is refused, in words', async ({ page, server }) => {
      const fake = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-')), 'informe.pdf');
      fs.writeFileSync(fake, '<html><script>alert(1)</script></html>');
      await logIn(page, server, account('legal'), js);
      await page.goto(server.url + '/processes/' + slug + '/panel');
      await ready(page, js);
      await page.getByRole('link', { name: new RegExp(final.code) }).click();
      await ready(page, js);
      await page.getByLabel(label(t['monitoring.narrative'])).fill('Con un archivo falso.');
      await page.getByLabel(t['monitoring.files_label']).setInputFiles(fake);
      await page.getByRole('button', { name: t['monitoring.send'] }).click();
      await expect(page.getByRole('alert')).toHaveText(t['evidence.bad_type']);
      await ready(page, js);
      await expectAccessible(page, 'refused file');
      await expect(page.locator('.pending .card', { hasText: 'Con un archivo falso.' })).toHaveCount(0);
    });
  });
}
