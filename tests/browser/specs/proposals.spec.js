// A resident submits a proposal (fixing a validation error on the way), finds it
// by searching without accents and supports it; with and without JavaScript.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const resident = demo.accounts.find((a) => a.email.startsWith('vecina'));
const processTitle = demo.processes[0].title;

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('submit, find without accents, support', async ({ page, server }) => {
      await logIn(page, server, resident, js);

      await page.getByRole('link', { name: processTitle }).click();
      await page.getByRole('link', { name: t['process.see_proposals'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(processTitle);
      await expectAccessible(page, 'proposal list');

      await page.getByRole('link', { name: t['proposals.submit'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['proposal.new']);
      await ready(page, js);
      await expectAccessible(page, 'new proposal');
      await page.getByLabel(label(t['field.title'])).fill('Información sobre obras en mi barrio');
      if (js) {
        // Similar proposals show up while typing.
        await page.getByLabel(label(t['field.title'])).fill('arbolado urbano');
        await expect(page.getByRole('link', { name: 'Mapa abierto del arbolado urbano' })).toBeVisible();
        await expectAccessible(page, 'new proposal with similar ones');
        await page.getByLabel(label(t['field.title'])).fill('Información sobre obras en mi barrio');
      }
      // The problem is only blank spaces: the server refuses it.
      await page.getByLabel(label(t['field.problem'])).fill('   ');
      await page.getByLabel(label(t['field.solution'])).fill('Un cartel <img src=x onerror="window.__xss=2"> con plazos.');
      await page.getByLabel(t['field.axis']).selectOption({ label: 'Transparencia y acceso a la información' });
      await page.getByRole('button', { name: t['proposal.submit'] }).click();
      await expect(page.getByText(t['validation.required'])).toBeVisible();
      await expect(page.getByLabel(label(t['field.title']))).toHaveValue('Información sobre obras en mi barrio');
      await expectAccessible(page, 'new proposal with an error');
      await page.getByLabel(label(t['field.problem'])).fill('Las obras no informan cuándo terminan.');
      await page.getByLabel(t['field.axis']).selectOption({ label: 'Transparencia y acceso a la información' });
      await page.getByRole('button', { name: t['proposal.submit'] }).click();
      // A demo proposal also speaks of "información": the form points it out first.
      await expect(page.getByRole('alert')).toHaveText(t['proposal.similar_found']);
      await expect(page.getByRole('link', { name: 'Mapa abierto del arbolado urbano' })).toBeVisible();
      await expectAccessible(page, 'new proposal with similar ones found');
      await page.getByLabel(t['proposal.confirm_different']).check();
      await page.getByLabel(t['field.axis']).selectOption({ label: 'Transparencia y acceso a la información' });
      await page.getByRole('button', { name: t['proposal.submit'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Información sobre obras en mi barrio');
      await expect(page.getByText(t['proposal.by_resident'])).toBeVisible();
      // Markup typed into a field is shown as text and never runs.
      await expect(page.getByText('Un cartel <img src=x onerror="window.__xss=2"> con plazos.')).toBeVisible();
      if (js) expect(await page.evaluate(() => window.__xss)).toBeUndefined();
      await expectAccessible(page, 'proposal');

      // The author can still edit it while intake is open.
      await page.getByRole('link', { name: t['proposal.edit'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['proposal.edit']);
      await expectAccessible(page, 'edit proposal');
      await page.getByLabel(label(t['field.title'])).fill('Información sobre obras en mi barrio y plazos');
      await page.getByRole('button', { name: t['action.save'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Información sobre obras en mi barrio y plazos');
      await expect(page.getByText(t['proposal.event.edited'])).toBeVisible();

      await page.getByRole('link', { name: processTitle }).click();
      await page.getByLabel(t['proposals.search']).fill('informacion obras');
      await page.getByRole('button', { name: t['action.search'] }).click();
      await expect(page.getByRole('status')).toHaveText('1 propuesta');
      await expectAccessible(page, 'search results');
      await page.getByRole('link', { name: 'Información sobre obras en mi barrio y plazos' }).click();

      await page.getByRole('button', { name: t['proposal.support'] }).click();
      await expect(page.getByText('1 apoyo', { exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: t['proposal.unsupport'] })).toHaveAttribute('aria-pressed', 'true');
      await expectAccessible(page, 'supported proposal');

      // Comment on it, then reply to the comment.
      await page.getByLabel(label(t['comments.new'])).fill('<script>window.__xss = 1</script>¿Incluye las obras de veredas?');
      await page.getByRole('button', { name: t['comments.publish'] }).click();
      // Markup typed into a comment is shown as text and never runs.
      await expect(page.getByText('<script>window.__xss = 1</script>¿Incluye las obras de veredas?')).toBeVisible();
      if (js) expect(await page.evaluate(() => window.__xss)).toBeUndefined();
      await page.locator('summary', { hasText: t['comments.reply'] }).first().click();
      await page.getByLabel(label(t['comments.your_reply'])).fill('Sí, también las veredas.');
      await page.getByRole('button', { name: t['comments.publish_reply'] }).click();
      await expect(page.locator('.comment.depth-1')).toContainText('Sí, también las veredas.');
      await expectAccessible(page, 'proposal with comments');
    });
  });
}
