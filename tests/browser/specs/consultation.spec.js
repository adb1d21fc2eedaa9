// Stage 3, the consultation: the facilitator drafts a sheet from board 2 and
// publishes it for comment; a participant comments on a milestone from a
// phone-sized screen; the team answers with a reason; the final sheet is
// published and exported, with the whole plan from the process page. With and
// without JavaScript; axe on every page visited.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const slug = demo.processes[0].slug;
const finished = demo.roundtables.find((r) => r.session);
const milestoneNote = finished.session.notes.find((n) => n.board === 2 && n.column === 5).body;
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** `YYYY-MM-DD`, `days` from today in Buenos Aires. */
function day(days) {
  const at = new Date(Date.now() - 3 * 3600_000 + days * 86_400_000);
  return at.toISOString().slice(0, 10);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('the demo plan: a final sheet with its answers, a sheet open for comment', async ({ page, server }) => {
      await page.goto(server.url + '/processes/' + slug);
      await ready(page, js);
      for (const c of demo.commitments) {
        await page.getByRole('link', { name: new RegExp(c.code) }).click();
        await expect(page.getByRole('heading', { level: 1 })).toContainText(c.code);
        await ready(page, js);
        // Markdown in the fields is rendered (bold), never shown as markup.
        await expect(page.locator('.markdown strong').first()).toBeVisible();
        await expectAccessible(page, c.code + ' sheet');
        await page.getByRole('link', { name: t['consultation.read'] }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['consultation.comments_on'].replace('{code}', c.code));
        await ready(page, js);
        for (const comment of c.comments) {
          const shown = page.locator('.sheet-comment', { hasText: comment.body });
          await expect(shown).toBeVisible();
          if (comment.response) await expect(shown.locator('.response')).toContainText(comment.response.reason);
        }
        await expectAccessible(page, c.code + ' comments');
        await page.goto(server.url + '/processes/' + slug);
        await ready(page, js);
      }
    });

    test('publish for comment, comment on a milestone from a phone, answer, publish the final sheet', async ({ page, server, browser }) => {
      // The facilitator drafts from board 2: the milestone note becomes a milestone.
      await logIn(page, server, account('facilitadora'), js);
      await page.goto(server.url + '/processes/' + slug + '/commitments');
      await ready(page, js);
      await page.getByLabel(t['commitments.from_roundtable']).selectOption({ label: finished.title });
      await page.getByLabel(label(t['commitments.code'])).fill('ARBA0009');
      await page.getByRole('button', { name: t['commitments.create'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['commitment.editing'].replace('{code}', 'ARBA0009'));
      await ready(page, js);
      await page.getByRole('button', { name: t['commitment.add_as_milestone'] }).first().click();
      await expect(page.getByText(t['commitment.version'].replace('{number}', '2'))).toBeVisible();
      await ready(page, js);

      // ... and publishes version 2 for comment from today for a week.
      await page.getByRole('link', { name: /ARBA0009/ }).first().click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText('ARBA0009');
      await ready(page, js);
      await expectAccessible(page, 'draft sheet with the publishing form');
      await page.getByLabel(label(t['consultation.opens_on'])).fill(day(0));
      await page.getByLabel(label(t['consultation.closes_on'])).fill(day(7));
      await page.getByRole('button', { name: t['consultation.publish_button'] }).click();
      await expect(page.locator('.period')).toContainText(t['consultation.open'].split('{to}')[0]);
      await ready(page, js);
      await expectAccessible(page, 'sheet open for comment');
      const sheetUrl = page.url().replace(/\?.*$/, '');

      // A participant, on a phone, comments on the milestone.
      const context = await browser.newContext({ ...phone, javaScriptEnabled: js, locale: 'es-AR' });
      const vecina = await context.newPage();
      vecina.__javaScript = js;
      await logIn(vecina, server, account('vecina'), js);
      await vecina.goto(sheetUrl);
      await ready(vecina, js);
      const row = vecina.locator('#milestone-m1');
      await expect(row).toContainText(milestoneNote);
      await row.getByRole('link', { name: t['consultation.comment_here'].replace('{count}', '0') }).click();
      await expect(vecina.getByRole('heading', { level: 1 })).toHaveText(t['consultation.comments_on'].replace('{code}', 'ARBA0009'));
      await ready(vecina, js);
      // The milestone is already chosen; only the comment is left to write.
      await expect(vecina.getByLabel(t['consultation.about'])).toHaveValue('m1');
      await vecina.getByLabel(label(t['consultation.your_comment'])).fill('¿Quién revisa la guía antes de publicarla?');
      await vecina.getByRole('button', { name: t['consultation.publish_comment'] }).click();
      const mine = vecina.locator('.sheet-comment', { hasText: '¿Quién revisa la guía antes de publicarla?' });
      await expect(mine).toBeVisible();
      await expect(mine).toContainText(t['consultation.milestone'].replace('{title}', milestoneNote));
      await expect(mine).toContainText(t['consultation.made_on'].replace('{version}', '2'));
      await expect(mine).toContainText(t['response.none_yet']);
      // Nothing on the page scrolls sideways on the phone.
      expect(await vecina.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await ready(vecina, js);
      await expectAccessible(vecina, 'comments page on a phone');
      await vecina.goto(sheetUrl);
      await ready(vecina, js);
      expect(await vecina.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await expect(vecina.locator('#milestone-m1')).toContainText(t['consultation.comment_here'].replace('{count}', '1'));
      await expectAccessible(vecina, 'sheet on a phone');
      await context.close();

      // The team answers it, with a reason and the version that took it in.
      await page.goto(sheetUrl + '/comments');
      await ready(page, js);
      const theirs = page.locator('.sheet-comment', { hasText: '¿Quién revisa la guía antes de publicarla?' });
      await theirs.getByText(t['response.give']).click();
      await theirs.getByLabel(t['response.outcome_label']).selectOption('incorporated');
      await theirs.getByLabel(label(t['response.reason'])).fill('La revisa el equipo de lenguaje claro; lo sumamos al hito.');
      // "Incorporated" without the version that did it: refused at this comment's form, reason kept.
      await theirs.getByRole('button', { name: t['response.save'] }).click();
      await expect(theirs.getByRole('alert').first()).toBeVisible();
      await expect(theirs).toContainText(t['response.version_required']);
      await expect(theirs.getByLabel(label(t['response.reason']))).toHaveValue('La revisa el equipo de lenguaje claro; lo sumamos al hito.');
      await ready(page, js);
      await expectAccessible(page, 'a refused response');
      await theirs.getByLabel(t['response.outcome_label']).selectOption('incorporated');
      await theirs.getByLabel(t['response.version']).selectOption('2');
      await theirs.getByRole('button', { name: t['response.save'] }).click();
      const answered = page.locator('.sheet-comment', { hasText: '¿Quién revisa la guía antes de publicarla?' });
      await expect(answered.locator('.response')).toContainText(t['outcome.incorporated']);
      await expect(answered.locator('.response')).toContainText('La revisa el equipo de lenguaje claro');
      await ready(page, js);
      await expectAccessible(page, 'comments page for the team');

      // Every comment answered: the final sheet is published, then exported.
      await page.goto(sheetUrl);
      await ready(page, js);
      await page.getByRole('button', { name: t['consultation.finish_button'] }).click();
      await expect(page.locator('.sheet .meta .badge')).toHaveText(t['commitment.state.final']);
      await expect(page.locator('.consultation')).toContainText(t['consultation.received'].replace('{count}', '1'));
      await ready(page, js);
      await expectAccessible(page, 'final sheet');
      const docx = await page.request.get(sheetUrl + '/sheet.docx');
      expect(docx.status()).toBe(200);
      expect(docx.headers()['content-type']).toContain('wordprocessingml');
      const pdf = await page.request.get(sheetUrl + '/sheet.pdf');
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      await page.goto(server.url + '/processes/' + slug);
      await ready(page, js);
      await expect(page.getByRole('link', { name: /ARBA0009/ })).toBeVisible();
      const plan = await page.request.get(server.url + '/processes/' + slug + '/plan.docx');
      expect(plan.status()).toBe(200);
      expect((await plan.body()).subarray(0, 2).toString()).toBe('PK');
      const planPdf = await page.request.get(server.url + '/processes/' + slug + '/plan.pdf');
      expect(planPdf.status()).toBe(200);
      expect((await planPdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      await expectAccessible(page, 'process page with the plan');
    });
  });
}
