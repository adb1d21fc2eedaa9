// Stage 3, first part: the facilitator starts a commitment sheet from a
// roundtable, inserts a board-2 note into a field with one button, saves
// versions and compares them. With and without JavaScript; axe on every page.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const slug = demo.processes[0].slug;
const finished = demo.roundtables.find((r) => r.session);
const problemNote = finished.session.notes.find((n) => n.board === 2 && n.column === 0).body;

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('draft a sheet from board 2, save versions and compare them', async ({ page, server }) => {
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + '/processes/' + slug);
      await page.getByRole('link', { name: t['commitments.link'] }).click();
      await ready(page, js);
      await expectAccessible(page, 'commitment list');
      await page.getByLabel(t['commitments.from_roundtable']).selectOption({ label: finished.title });
      await page.getByLabel(label(t['commitments.code'])).fill('ARBA0004');
      await page.getByRole('button', { name: t['commitments.create'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['commitment.editing'].replace('{code}', 'ARBA0004'));
      await ready(page, js);
      // The chosen topic is the title; board 2's notes sit beside their fields.
      await expect(page.getByLabel(label(t['sheet.title']))).toHaveValue(finished.session.vote.topics[0]);
      await expect(page.getByText(problemNote)).toBeVisible();
      await expectAccessible(page, 'sheet editor');
      await page.getByLabel(label(t['sheet.causes'])).fill('Los textos se escriben desde la norma.');
      await page.getByRole('button', { name: t['commitment.insert_into'].replace('{field}', t['sheet.problem']) }).first().click();
      await expect(page.getByText(t['commitment.version'].replace('{number}', '2'))).toBeVisible();
      await expect(page.getByLabel(label(t['sheet.problem']))).toHaveValue(problemNote);
      await expect(page.getByLabel(label(t['sheet.causes']))).toHaveValue('Los textos se escriben desde la norma.');
      // A refused save keeps what was typed and says why.
      await page.getByLabel(label(t['sheet.contact'])).fill('ana@example.org');
      await page.getByRole('button', { name: t['commitment.save'] }).click();
      await expect(page.getByText(t['commitment.contact_no_email'])).toBeVisible();
      await page.getByLabel(label(t['sheet.contact'])).fill('Ana Pérez, directora');
      await page.getByLabel(label(t['commitment.change_note'])).fill('Contacto');
      await page.getByRole('button', { name: t['commitment.save'] }).click();
      await expect(page.getByText(t['commitment.version'].replace('{number}', '3'))).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'sheet editor after saving');

      // Versions: the last change, then version 1 against the current one.
      await page.getByRole('link', { name: t['commitment.versions'] }).click();
      await expect(page.getByRole('heading', { level: 2, name: t['commitment.compared'].replace('{from}', '2').replace('{to}', '3') })).toBeVisible();
      await expect(page.locator('.field-diff ins', { hasText: 'Ana Pérez, directora' })).toBeVisible();
      await ready(page, js);
      await page.getByLabel(t['commitment.from']).selectOption('1');
      await page.getByRole('button', { name: t['commitment.compare'] }).click();
      await expect(page.locator('.field-diff ins', { hasText: 'lenguaje técnico' })).toBeVisible();
      await expectAccessible(page, 'version comparison');

      // The sheet, section by section.
      await page.getByRole('link', { name: /ARBA0004/ }).first().click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText('ARBA0004');
      // In its field, and among board 2's notes it came from.
      await expect(page.locator('.sheet-fields').getByText(problemNote)).toBeVisible();
      await expect(page.getByRole('region', { name: t['commitment.origin'] }).getByText(problemNote)).toBeVisible();
      await ready(page, js);
      await expectAccessible(page, 'sheet');
    });
  });
}
